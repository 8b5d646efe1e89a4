@testable import SRTP

/// The bytes of `hex`; spaces and line breaks are skipped.
func bytes(_ hex: String) -> [UInt8] {
    var digits: [UInt8] = []
    for character in hex.utf8 {
        switch character {
        case 0x30...0x39: digits.append(character - 0x30)
        case 0x41...0x46: digits.append(character - 0x41 + 10)
        case 0x61...0x66: digits.append(character - 0x61 + 10)
        default: continue
        }
    }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// An RTP packet: version 2, optional CSRCs and a one-byte-header extension of `extensionWords` words.
func rtpPacket(
    sequence: UInt16, ssrc: UInt32 = 0x1234_5678, payload: [UInt8] = Array(repeating: 0xD5, count: 160),
    csrcs: [UInt32] = [], extensionWords: UInt16 = 0
) -> [UInt8] {
    let extensionBit: UInt8 = extensionWords > 0 ? 0x10 : 0
    var packet: [UInt8] = [0x80 | extensionBit | UInt8(csrcs.count & 0x0F), 0x00]
    packet += [UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence)]
    packet += [0x00, 0x01, 0xE2, 0x40]
    packet += [UInt8(ssrc >> 24), UInt8(truncatingIfNeeded: ssrc >> 16), UInt8(truncatingIfNeeded: ssrc >> 8),
        UInt8(truncatingIfNeeded: ssrc)]
    for csrc in csrcs {
        packet += [UInt8(csrc >> 24), UInt8(truncatingIfNeeded: csrc >> 16), UInt8(truncatingIfNeeded: csrc >> 8),
            UInt8(truncatingIfNeeded: csrc)]
    }
    if extensionWords > 0 {
        packet += [0xBE, 0xDE, UInt8(extensionWords >> 8), UInt8(truncatingIfNeeded: extensionWords)]
        packet += [UInt8](repeating: 0x11, count: 4 * Int(extensionWords))
    }
    return packet + payload
}

/// An RTCP receiver report with one report block, from `ssrc`.
func rtcpPacket(ssrc: UInt32 = 0x1234_5678) -> [UInt8] {
    var packet: [UInt8] = [0x81, 0xC9, 0x00, 0x07]
    packet += [UInt8(ssrc >> 24), UInt8(truncatingIfNeeded: ssrc >> 16), UInt8(truncatingIfNeeded: ssrc >> 8),
        UInt8(truncatingIfNeeded: ssrc)]
    return packet + (0..<24).map { UInt8($0) }
}

let allProfiles: [SRTPProfile] = [.aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32, .aeadAES128GCM]

/// A master key of the right lengths for `profile`, different per `seed`.
func masterKey(for profile: SRTPProfile, seed: UInt8 = 1) -> SRTPMasterKey {
    SRTPMasterKey(
        key: (0..<profile.masterKeyLength).map { UInt8(truncatingIfNeeded: $0 * 7) ^ seed },
        salt: (0..<profile.masterSaltLength).map { UInt8(truncatingIfNeeded: $0 * 13) ^ seed })
}

/// Array conveniences over the in-place API: each copies the packet into a buffer with room for the trailer.
extension SRTPContext {
    func protectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: 32)
        let length = try buffer.withUnsafeMutableBytes { raw in try self.protectRTP(raw, length: packet.count) }
        return Array(buffer[..<length])
    }

    func unprotectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        var buffer = packet
        let length = try buffer.withUnsafeMutableBytes { raw in try self.unprotectRTP(raw, length: packet.count) }
        return Array(buffer[..<length])
    }

    func protectRTCP(_ packet: [UInt8]) throws -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: 32)
        let length = try buffer.withUnsafeMutableBytes { raw in try self.protectRTCP(raw, length: packet.count) }
        return Array(buffer[..<length])
    }

    func unprotectRTCP(_ packet: [UInt8]) throws -> [UInt8] {
        var buffer = packet
        let length = try buffer.withUnsafeMutableBytes { raw in try self.unprotectRTCP(raw, length: packet.count) }
        return Array(buffer[..<length])
    }
}
