@testable import SRTP
import Testing

@Suite("SRTP context")
struct SRTPContextTests {
    static func pair(_ profile: SRTPProfile) throws -> (sender: SRTPContext, receiver: SRTPContext) {
        let key = masterKey(for: profile)
        return (try SRTPContext(profile: profile, masterKey: key), try SRTPContext(profile: profile, masterKey: key))
    }

    // MARK: Round trips

    @Test(arguments: allProfiles)
    func rtpRoundTripKeepsTheHeaderAndHidesThePayload(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let packet = rtpPacket(sequence: 4711, csrcs: [0xAABB_CCDD, 0x0102_0304], extensionWords: 2)
        let headerLength = 12 + 8 + 4 + 8
        let protected = try sender.protectRTP(packet)
        #expect(protected.count == packet.count + profile.rtpAuthTagLength)
        #expect(protected[..<headerLength] == packet[..<headerLength])
        #expect(protected[headerLength..<packet.count] != packet[headerLength...])
        #expect(try receiver.unprotectRTP(protected) == packet)
    }

    @Test(arguments: allProfiles)
    func rtcpRoundTripKeepsTheFirstEightBytes(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let packet = rtcpPacket()
        let protected = try sender.protectRTCP(packet)
        #expect(protected.count == packet.count + 4 + profile.rtcpAuthTagLength)
        #expect(protected[..<8] == packet[..<8])
        #expect(protected[8..<packet.count] != packet[8...])
        // E = 1 and index 0 for the first packet (RFC 3711 section 3.4).
        let indexOffset = profile == .aeadAES128GCM ? protected.count - 4 : packet.count
        #expect(Array(protected[indexOffset..<(indexOffset + 4)]) == [0x80, 0x00, 0x00, 0x00])
        #expect(try receiver.unprotectRTCP(protected) == packet)
        // The next packet carries index 1.
        let second = try sender.protectRTCP(packet)
        #expect(Array(second[indexOffset..<(indexOffset + 4)]) == [0x80, 0x00, 0x00, 0x01])
        #expect(try receiver.unprotectRTCP(second) == packet)
    }

    @Test(arguments: allProfiles)
    func emptyPayloadsRoundTrip(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let packet = rtpPacket(sequence: 1, payload: [])
        #expect(try receiver.unprotectRTP(try sender.protectRTP(packet)) == packet)
        let header = Array(rtcpPacket()[..<8])
        #expect(try receiver.unprotectRTCP(try sender.protectRTCP(header)) == header)
    }

    @Test func theTwoDTLSRolesTalkThroughTheSplitKeys() throws {
        let profile = SRTPProfile.aesCM128HmacSHA1_80
        let exported = (0..<SRTPKeyingMaterial.exportLength(for: profile)).map { UInt8($0) }
        let client = try #require(SRTPKeyingMaterial.split(exported, profile: profile, isDTLSClient: true))
        let server = try #require(SRTPKeyingMaterial.split(exported, profile: profile, isDTLSClient: false))
        let clientSends = try SRTPContext(profile: profile, masterKey: client.local)
        let serverReceives = try SRTPContext(profile: profile, masterKey: server.remote)
        let serverSends = try SRTPContext(profile: profile, masterKey: server.local)
        let clientReceives = try SRTPContext(profile: profile, masterKey: client.remote)
        let packet = rtpPacket(sequence: 9)
        #expect(try serverReceives.unprotectRTP(try clientSends.protectRTP(packet)) == packet)
        #expect(try clientReceives.unprotectRTP(try serverSends.protectRTP(packet)) == packet)
        // Each direction has its own key: the client cannot read its own packets back.
        #expect(throws: SRTPError.authenticationFailed) {
            try clientReceives.unprotectRTP(try clientSends.protectRTP(rtpPacket(sequence: 10)))
        }
    }

    // MARK: Authentication

    @Test(arguments: allProfiles)
    func aFlippedBitFailsAuthenticationAndLeavesTheStateAlone(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let packet = rtpPacket(sequence: 100)
        let protected = try sender.protectRTP(packet)
        for position in [20, protected.count - 1, 2] {
            var forged = protected
            forged[position] ^= 0x01
            #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotectRTP(forged) }
        }
        // The forgeries moved nothing: the genuine packet still authenticates, once.
        #expect(try receiver.unprotectRTP(protected) == packet)
        #expect(throws: SRTPError.replayed) { try receiver.unprotectRTP(protected) }
    }

    @Test(arguments: allProfiles)
    func aFlippedBitInSRTCPFailsAuthentication(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let protected = try sender.protectRTCP(rtcpPacket())
        for position in [12, protected.count - 1, protected.count - 5] {
            var forged = protected
            forged[position] ^= 0x01
            #expect(throws: SRTPError.authenticationFailed) { try receiver.unprotectRTCP(forged) }
        }
        #expect(try receiver.unprotectRTCP(protected) == rtcpPacket())
    }

    @Test func aWrongKeyFailsAuthentication() throws {
        let sender = try SRTPContext(profile: .aeadAES128GCM, masterKey: masterKey(for: .aeadAES128GCM, seed: 1))
        let receiver = try SRTPContext(profile: .aeadAES128GCM, masterKey: masterKey(for: .aeadAES128GCM, seed: 2))
        #expect(throws: SRTPError.authenticationFailed) {
            try receiver.unprotectRTP(try sender.protectRTP(rtpPacket(sequence: 1)))
        }
    }

    // MARK: Replay (RFC 3711 section 3.3.2)

    @Test(arguments: allProfiles)
    func theSamePacketTwiceIsAReplay(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let rtp = try sender.protectRTP(rtpPacket(sequence: 7))
        _ = try receiver.unprotectRTP(rtp)
        #expect(throws: SRTPError.replayed) { try receiver.unprotectRTP(rtp) }
        let rtcp = try sender.protectRTCP(rtcpPacket())
        _ = try receiver.unprotectRTCP(rtcp)
        #expect(throws: SRTPError.replayed) { try receiver.unprotectRTCP(rtcp) }
    }

    @Test func reorderedPacketsInsideTheWindowAreAccepted() throws {
        let (sender, receiver) = try Self.pair(.aesCM128HmacSHA1_80)
        let packets = try (1...200).map { try sender.protectRTP(rtpPacket(sequence: UInt16($0))) }
        _ = try receiver.unprotectRTP(packets[199])  // SEQ 200
        // SEQ 73 is 127 behind: the window's last slot. SEQ 72 is 128 behind: gone.
        #expect(try receiver.unprotectRTP(packets[72]) == rtpPacket(sequence: 73))
        #expect(throws: SRTPError.tooOld) { try receiver.unprotectRTP(packets[71]) }
        #expect(throws: SRTPError.tooOld) { try receiver.unprotectRTP(packets[0]) }
        // Out of order but inside the window, each once.
        for sequence in [150, 199, 100] {
            #expect(try receiver.unprotectRTP(packets[sequence - 1]) == rtpPacket(sequence: UInt16(sequence)))
            #expect(throws: SRTPError.replayed) { try receiver.unprotectRTP(packets[sequence - 1]) }
        }
    }

    @Test func aJumpAheadSlidesTheWindow() throws {
        let (sender, receiver) = try Self.pair(.aesCM128HmacSHA1_32)
        let early = try sender.protectRTP(rtpPacket(sequence: 10))
        let skipped = try sender.protectRTP(rtpPacket(sequence: 11))
        let late = try sender.protectRTP(rtpPacket(sequence: 80))
        let far = try sender.protectRTP(rtpPacket(sequence: 300))
        _ = try receiver.unprotectRTP(early)
        _ = try receiver.unprotectRTP(late)
        // A 70-packet slide keeps SEQ 10 in the window's older half, marked, and SEQ 11 open.
        #expect(throws: SRTPError.replayed) { try receiver.unprotectRTP(early) }
        #expect(try receiver.unprotectRTP(skipped) == rtpPacket(sequence: 11))
        #expect(throws: SRTPError.replayed) { try receiver.unprotectRTP(skipped) }
        // A slide past the whole window forgets everything behind it.
        _ = try receiver.unprotectRTP(far)
        #expect(throws: SRTPError.tooOld) { try receiver.unprotectRTP(early) }
        #expect(throws: SRTPError.replayed) { try receiver.unprotectRTP(far) }
    }

    @Test func srtcpIndicesBehindTheWindowAreTooOld() throws {
        let (sender, receiver) = try Self.pair(.aesCM128HmacSHA1_80)
        let first = try sender.protectRTCP(rtcpPacket())
        sender.setNextSRTCPIndex(500, ssrc: 0x1234_5678)
        _ = try receiver.unprotectRTCP(try sender.protectRTCP(rtcpPacket()))
        #expect(throws: SRTPError.tooOld) { try receiver.unprotectRTCP(first) }
    }

    // MARK: Rollover counter (RFC 3711 section 3.3.1)

    @Test(arguments: allProfiles)
    func sequenceWrapIncrementsTheRolloverCounter(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        let sequences: [UInt16] = [65533, 65534, 65535, 0, 1]
        let packets = try sequences.map { try sender.protectRTP(rtpPacket(sequence: $0)) }
        // Packets after the wrap were protected with ROC 1: decrypting them needs the receiver to follow.
        for position in [0, 2, 3, 4] {
            #expect(try receiver.unprotectRTP(packets[position]) == rtpPacket(sequence: sequences[position]))
        }
        #expect(receiver.rtpStreams.streams.first?.window.highest == 0x1_0001)
        #expect(sender.rtpStreams.streams.first?.window.highest == 0x1_0001)
        // A straggler from before the wrap is estimated with ROC 0 again.
        #expect(try receiver.unprotectRTP(packets[1]) == rtpPacket(sequence: 65534))
    }

    @Test func theSenderKeepsTheOldRolloverCounterForALateOlderPacket() throws {
        let (sender, receiver) = try Self.pair(.aesCM128HmacSHA1_80)
        let beforeWrap = try sender.protectRTP(rtpPacket(sequence: 65534))
        let afterWrap = try sender.protectRTP(rtpPacket(sequence: 0))
        let late = try sender.protectRTP(rtpPacket(sequence: 65535))
        #expect(sender.rtpStreams.streams.first?.window.highest == 0x1_0000)
        _ = try receiver.unprotectRTP(beforeWrap)
        _ = try receiver.unprotectRTP(afterWrap)
        #expect(try receiver.unprotectRTP(late) == rtpPacket(sequence: 65535))
    }

    @Test func indexEstimationFollowsAppendixA() {
        // s_l < 2^15
        #expect(SRTPStreamState.estimatedIndex(of: 10, highest: 0x3_0005) == 0x3_000A)
        #expect(SRTPStreamState.estimatedIndex(of: 0xFFF0, highest: 0x3_0005) == 0x2_FFF0)
        #expect(SRTPStreamState.estimatedIndex(of: 0xFFF0, highest: 0x0_0005) == nil)
        // s_l >= 2^15
        #expect(SRTPStreamState.estimatedIndex(of: 0x0003, highest: 0x3_FFF0) == 0x4_0003)
        #expect(SRTPStreamState.estimatedIndex(of: 0x9000, highest: 0x3_FFF0) == 0x3_9000)
    }

    @Test func aPacketThatWouldPrecedeTheStreamIsTooOld() throws {
        let (sender, receiver) = try Self.pair(.aesCM128HmacSHA1_80)
        _ = try receiver.unprotectRTP(try sender.protectRTP(rtpPacket(sequence: 6)))
        // The receiver started at SEQ 6 with ROC 0 (section 3.3.1); SEQ 60000 is nearest as ROC -1.
        let early = try sender.protectRTP(rtpPacket(sequence: 60000))
        #expect(throws: SRTPError.tooOld) { try receiver.unprotectRTP(early) }
    }

    // MARK: SSRCs

    @Test func eachSSRCHasItsOwnState() throws {
        let (sender, receiver) = try Self.pair(.aeadAES128GCM)
        let audio = try sender.protectRTP(rtpPacket(sequence: 500, ssrc: 1))
        let video = try sender.protectRTP(rtpPacket(sequence: 500, ssrc: 2))
        #expect(audio != video)
        #expect(try receiver.unprotectRTP(audio) == rtpPacket(sequence: 500, ssrc: 1))
        #expect(try receiver.unprotectRTP(video) == rtpPacket(sequence: 500, ssrc: 2))
        #expect(receiver.rtpStreams.streams.count == 2)
    }

    @Test func theStreamTableIsBounded() throws {
        let (sender, receiver) = try Self.pair(.aesCM128HmacSHA1_80)
        for ssrc in UInt32(1)...40 {
            _ = try receiver.unprotectRTP(try sender.protectRTP(rtpPacket(sequence: 1, ssrc: ssrc)))
        }
        #expect(receiver.rtpStreams.streams.count == SRTPStreamTable.capacity)
        #expect(sender.rtpStreams.streams.count == SRTPStreamTable.capacity)
    }

    // MARK: Bad input

    @Test(arguments: allProfiles)
    func shortAndMalformedPacketsAreRejected(profile: SRTPProfile) throws {
        let (sender, receiver) = try Self.pair(profile)
        #expect(throws: SRTPError.tooShort) { try sender.protectRTP([0x80, 0x00, 0x00]) }
        #expect(throws: SRTPError.tooShort) { try receiver.unprotectRTP([UInt8](repeating: 0x80, count: 12)) }
        #expect(throws: SRTPError.tooShort) { try sender.protectRTCP([0x81, 0xC9, 0x00]) }
        #expect(throws: SRTPError.tooShort) { try receiver.unprotectRTCP([UInt8](repeating: 0x80, count: 12)) }
        // Four CSRCs announced, one word present.
        var lying = rtpPacket(sequence: 1, payload: [1, 2, 3, 4])
        lying[0] |= 0x04
        #expect(throws: SRTPError.tooShort) { try sender.protectRTP(lying) }
        // An extension longer than the packet.
        var longExtension = rtpPacket(sequence: 1, payload: [], extensionWords: 1)
        longExtension[15] = 0x40
        #expect(throws: SRTPError.tooShort) { try sender.protectRTP(longExtension) }
    }

    @Test func theBufferMustHoldTheTrailer() throws {
        let (sender, _) = try Self.pair(.aesCM128HmacSHA1_80)
        var packet = rtpPacket(sequence: 1)
        let length = packet.count
        #expect(throws: SRTPError.bufferTooSmall) {
            try packet.withUnsafeMutableBytes { raw in try sender.protectRTP(raw, length: length) }
        }
        #expect(throws: SRTPError.bufferTooSmall) {
            try packet.withUnsafeMutableBytes { raw in try sender.protectRTP(raw, length: length + 1) }
        }
        var rtcp = rtcpPacket() + [UInt8](repeating: 0, count: 13)
        let rtcpLength = rtcpPacket().count
        #expect(throws: SRTPError.bufferTooSmall) {
            try rtcp.withUnsafeMutableBytes { raw in try sender.protectRTCP(raw, length: rtcpLength) }
        }
    }

    @Test func keysOfTheWrongLengthAreRefused() {
        #expect(throws: SRTPError.cryptoFailure) {
            try SRTPContext(profile: .aeadAES128GCM, masterKey: masterKey(for: .aesCM128HmacSHA1_80))
        }
        #expect(throws: SRTPError.cryptoFailure) {
            try SRTPContext(profile: .aesCM128HmacSHA1_80, masterKey: SRTPMasterKey(key: [1, 2, 3], salt: []))
        }
    }
}
