import AudioCodecs
import Testing

@Suite("Opus")
struct OpusCodecTests {
    static let frame = 160
    /// 1 s of 1000 Hz at 8 kHz, RMS about 7071.
    static let tone = ToneAnalysis.sine(frequency: 1000, sampleRate: 8000, count: 8000, amplitude: 10000)

    /// Runs a codec call and keeps its typed outcome.
    static func outcome(_ body: () throws(AudioCodecError) -> Int) -> Result<Int, AudioCodecError> {
        do throws(AudioCodecError) {
            return .success(try body())
        } catch {
            return .failure(error)
        }
    }

    /// Encodes `pcm` in frames of `frameSamples`; one packet per frame.
    static func encode(
        _ pcm: ArraySlice<Int16>, frameSamples: Int = OpusCodecTests.frame, with encoder: OpusEncoder
    ) throws -> [[UInt8]] {
        let scratch = CodecScratch()
        var packets: [[UInt8]] = []
        var start = pcm.startIndex
        while start + frameSamples <= pcm.endIndex {
            let input = scratch.samples(pcm[start..<start + frameSamples])
            let length = try encoder.encode(input, into: scratch.packet)
            packets.append(scratch.encoded(length))
            start += frameSamples
        }
        return packets
    }

    static func decode(_ packet: [UInt8], with decoder: OpusDecoder, into scratch: CodecScratch) throws -> Int {
        try decoder.decode(scratch.bytes(packet), into: scratch.pcm)
    }

    @Test func toneSurvivesEncodeAndDecodeAtEightKilohertz() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        let packets = try Self.encode(Self.tone[...], with: encoder)
        #expect(packets.count == 50)
        for packet in packets {
            // 24 kbit/s in 20 ms is about 60 bytes; no packet is a DTX stub or near the 1275-byte limit.
            #expect(packet.count > 2 && packet.count < 200, "packet of \(packet.count) bytes")
        }

        let scratch = CodecScratch()
        var decoded: [Int16] = []
        for packet in packets {
            let samples = try Self.decode(packet, with: decoder, into: scratch)
            #expect(samples == Self.frame)
            decoded += scratch.decoded(samples)
        }
        #expect(decoded.count == 8000)

        // Skip the first 200 ms (codec delay and the encoder settling), then look for the tone.
        let steady = decoded[1600...]
        let candidates = stride(from: 200, through: 3800, by: 10)
        let dominant = try #require(
            ToneAnalysis.dominantFrequency(of: steady, sampleRate: 8000, candidates: candidates)
        )
        #expect(abs(dominant - 1000) <= 20, "dominant frequency \(dominant) Hz")
        // The decoded tone keeps a good part of its level (input RMS about 7071).
        #expect(ToneAnalysis.rms(steady) > 2000)
    }

    @Test(arguments: [20, 40, 80, 160, 320, 480])
    func everyOpusFrameDurationEncodes(samples: Int) throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        let scratch = CodecScratch()
        let packets = try Self.encode(Self.tone[0..<(samples * 4)], frameSamples: samples, with: encoder)
        #expect(packets.count == 4)
        for packet in packets {
            #expect(OpusDecoder.frameSamples(ofPacket: scratch.bytes(packet)) == samples)
            // RFC 7587 section 4.1: the RTP clock counts the same packet at 48 kHz.
            #expect(OpusDecoder.frameSamples(ofPacket: scratch.bytes(packet), sampleRate: 48000) == samples * 6)
            #expect(try Self.decode(packet, with: decoder, into: scratch) == samples)
            #expect(decoder.lastPacketDurationSamples == samples)
        }
    }

    @Test func invalidFrameSizesAreRejected() throws {
        let encoder = try OpusEncoder()
        let scratch = CodecScratch()
        let silence = [Int16](repeating: 0, count: 960)
        for count in [0, 1, 19, 100, 159, 161, 960] {
            let input = scratch.samples(silence[0..<count])
            let result = Self.outcome { () throws(AudioCodecError) -> Int in
                try encoder.encode(input, into: scratch.packet)
            }
            #expect(result == .failure(.invalidFrameSize), "\(count) samples")
        }
        let frame = scratch.samples(silence[0..<Self.frame])
        let noRoom = UnsafeMutableRawBufferPointer(rebasing: scratch.packet[0..<0])
        let result = Self.outcome { () throws(AudioCodecError) -> Int in try encoder.encode(frame, into: noRoom) }
        #expect(result == .failure(.bufferTooSmall))
    }

    @Test func badSettingsAreReported() {
        let result = Self.outcome { () throws(AudioCodecError) -> Int in
            _ = try OpusEncoder(settings: OpusEncoderSettings(complexity: 11))
            return 0
        }
        #expect(result == .failure(.opus(code: -1)))  // OPUS_BAD_ARG
        #expect(AudioCodecError.opus(code: -4).description.contains("corrupted stream"))
    }

    @Test func lossConcealmentFillsAWholeFrame() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        let scratch = CodecScratch()
        let packets = try Self.encode(Self.tone[...], with: encoder)
        for packet in packets[0..<25] {
            _ = try Self.decode(packet, with: decoder, into: scratch)
        }
        scratch.clearPCM()
        #expect(try decoder.concealLoss(into: scratch.pcm, frameSamples: Self.frame) == Self.frame)
        // The concealment continues the tone rather than playing silence.
        #expect(scratch.decoded(Self.frame).contains { $0 != 0 })
        #expect(try decoder.concealLoss(into: scratch.pcm, frameSamples: 20) == 20)
        #expect(try decoder.concealLoss(into: scratch.pcm, frameSamples: 960) == 960)
        // Decoding carries on after the losses.
        #expect(try Self.decode(packets[25], with: decoder, into: scratch) == Self.frame)

        for frameSamples in [0, -20, 150, 980] {
            let result = Self.outcome { () throws(AudioCodecError) -> Int in
                try decoder.concealLoss(into: scratch.pcm, frameSamples: frameSamples)
            }
            #expect(result == .failure(.invalidFrameSize), "\(frameSamples) samples")
        }
        let short = UnsafeMutableBufferPointer(rebasing: scratch.pcm[0..<80])
        let result = Self.outcome { () throws(AudioCodecError) -> Int in
            try decoder.concealLoss(into: short, frameSamples: 160)
        }
        #expect(result == .failure(.bufferTooSmall))
    }

    @Test func forwardErrorCorrectionRebuildsTheLostFrame() throws {
        let encoder = try OpusEncoder()  // FEC on, 10 % expected loss
        let decoder = try OpusDecoder()
        let scratch = CodecScratch()
        let packets = try Self.encode(Self.tone[...], with: encoder)
        for packet in packets[0..<24] {
            _ = try Self.decode(packet, with: decoder, into: scratch)
        }
        // Packet 24 is lost; packet 25 arrives and carries its low-rate copy.
        scratch.clearPCM()
        let next = scratch.bytes(packets[25])
        #expect(try decoder.decodeFEC(from: next, into: scratch.pcm, frameSamples: Self.frame) == Self.frame)
        #expect(scratch.decoded(Self.frame).contains { $0 != 0 })
        #expect(decoder.lastPacketDurationSamples == Self.frame)
        // Then packet 25 itself decodes normally.
        #expect(try decoder.decode(next, into: scratch.pcm) == Self.frame)

        let following = scratch.bytes(packets[26])
        let badSize = Self.outcome { () throws(AudioCodecError) -> Int in
            try decoder.decodeFEC(from: following, into: scratch.pcm, frameSamples: 30)
        }
        #expect(badSize == .failure(.invalidFrameSize))
        let nothing = UnsafeRawBufferPointer(start: nil, count: 0)
        let noPacket = Self.outcome { () throws(AudioCodecError) -> Int in
            try decoder.decodeFEC(from: nothing, into: scratch.pcm, frameSamples: 160)
        }
        #expect(noPacket == .failure(.opus(code: -4)))  // OPUS_INVALID_PACKET
    }

    @Test func malformedPacketsAreErrorsNotCrashes() throws {
        let decoder = try OpusDecoder()
        let scratch = CodecScratch()
        // RFC 6716 section 3.4: [R1] a packet has at least one byte; [R3] a code 1 packet has an even payload;
        // [R5] a code 3 packet has at least one frame and at most 120 ms (49 CELT frames of 2.5 ms: 122.5 ms).
        let malformed: [[UInt8]] = [[], [0x01, 0xAA], [0x03, 0x00], [0x83, 0x31] + [UInt8](repeating: 0, count: 60)]
        for packet in malformed {
            let bytes = scratch.bytes(packet)
            let result = Self.outcome { () throws(AudioCodecError) -> Int in
                try decoder.decode(bytes, into: scratch.pcm)
            }
            guard case .failure(.opus(let code)) = result else {
                Issue.record("packet \(packet.prefix(2)) gave \(result)")
                continue
            }
            #expect(code < 0)
        }
        #expect(OpusDecoder.frameSamples(ofPacket: scratch.bytes([])) == nil)
        #expect(OpusDecoder.frameSamples(ofPacket: scratch.bytes([0x03, 0x00])) == nil)
        #expect(OpusDecoder.frameSamples(ofPacket: scratch.bytes(malformed[3])) == nil)
        #expect(OpusDecoder.frameSamples(ofPacket: scratch.bytes([0x00, 0x11]), sampleRate: 0) == nil)

        // Random bytes: libopus takes many as valid packets. Whatever it says, it must not crash, and a success
        // decodes at most 120 ms.
        var seed: UInt32 = 0x1234_5678
        for length in 1...300 {
            var packet = [UInt8](repeating: 0, count: length % 120 + 1)
            for index in packet.indices {
                seed = seed &* 1_664_525 &+ 1_013_904_223
                packet[index] = UInt8(truncatingIfNeeded: seed >> 24)
            }
            let bytes = scratch.bytes(packet)
            let result = Self.outcome { () throws(AudioCodecError) -> Int in
                try decoder.decode(bytes, into: scratch.pcm)
            }
            switch result {
            case .success(let samples): #expect(samples > 0 && samples <= OpusDecoder.maximumFrameSamples)
            case .failure(.opus(let code)): #expect(code < 0)
            case .failure(let error): Issue.record("unexpected \(error)")
            }
        }
        // The decoder is still usable afterwards.
        #expect(try decoder.concealLoss(into: scratch.pcm, frameSamples: Self.frame) == Self.frame)
    }

    @Test func aShortBufferIsReportedNotOverrun() throws {
        let encoder = try OpusEncoder()
        let decoder = try OpusDecoder()
        let scratch = CodecScratch()
        let packet = try #require(try Self.encode(Self.tone[0..<Self.frame], with: encoder).first)
        let bytes = scratch.bytes(packet)
        let short = UnsafeMutableBufferPointer(rebasing: scratch.pcm[0..<80])
        let result = Self.outcome { () throws(AudioCodecError) -> Int in try decoder.decode(bytes, into: short) }
        #expect(result == .failure(.bufferTooSmall))
        let empty = UnsafeMutableBufferPointer(rebasing: scratch.pcm[0..<0])
        let nowhere = Self.outcome { () throws(AudioCodecError) -> Int in try decoder.decode(bytes, into: empty) }
        #expect(nowhere == .failure(.bufferTooSmall))
    }
}
