import COpenSSL

extension SRTPContext {
    /// Bytes after the RTCP header's first 8 (V/P/RC, PT, length, sender SSRC), which stay in the clear
    /// (RFC 3711 section 3.4).
    static let rtcpClearLength = 8
    /// The E flag and 31-bit SRTCP index word.
    static let srtcpIndexLength = 4

    /// Protects the (compound) RTCP packet in the first `length` bytes of `packet` in place and returns the
    /// SRTCP packet's length. `packet.count` must be at least `length + 4 + profile.rtcpAuthTagLength`.
    ///
    /// Everything after the first 8 bytes is encrypted and E is always 1. Each SSRC's SRTCP index starts at
    /// 0 and counts up modulo 2^31 (RFC 3711 section 3.4). Layout:
    /// - AES-CM (section 3.4): `header || encrypted || E|index || tag`, the tag HMAC-SHA1 over all before it.
    /// - AEAD_AES_128_GCM (RFC 7714 section 9.1): `header || ciphertext || tag || E|index`, with AAD
    ///   `header || E|index`.
    public func protectRTCP(_ packet: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let tagLength = profile.rtcpAuthTagLength
        guard length >= 0, length <= packet.count else { throw .bufferTooSmall }
        guard let base = packet.baseAddress, length >= Self.rtcpClearLength else { throw .tooShort }
        guard packet.count - length >= Self.srtcpIndexLength + tagLength else { throw .bufferTooSmall }

        let ssrc = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let index: UInt32
        if let slot = rtcpStreams.slot(of: ssrc) {
            index = rtcpStreams.streams[slot].nextSRTCPIndex
            rtcpStreams.streams[slot].nextSRTCPIndex = (index &+ 1) & 0x7FFF_FFFF
        } else {
            index = 0
            rtcpStreams.insert(
                SRTPStreamState(ssrc: ssrc, window: SRTPReplayWindow(highest: 0), nextSRTCPIndex: 1))
        }
        let indexWord = (0x8000_0000 | index).bigEndian

        let payload = base + Self.rtcpClearLength
        let payloadLength = length - Self.rtcpClearLength
        switch profile {
        case .aeadAES128GCM:
            writeGCMIV(salt: rtcp.salt, ssrc: ssrc, index: UInt64(index))
            scratch.storeBytes(of: indexWord, toByteOffset: Self.trailerOffset, as: UInt32.self)
            guard
                parley_srtp_gcm_seal(
                    rtcp.cipher, scratch, base, Self.rtcpClearLength, scratch + Self.trailerOffset,
                    Self.srtcpIndexLength, payload, payloadLength, base + length) == 1
            else { throw .cryptoFailure }
            (base + length + tagLength).storeBytes(of: indexWord, as: UInt32.self)
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32:
            writeCounterIV(salt: rtcp.salt, ssrc: ssrc, index: UInt64(index))
            guard parley_srtp_aes_cm(rtcp.cipher, scratch, payload, payloadLength) == 1,
                let authenticator = rtcp.authenticator
            else { throw .cryptoFailure }
            (base + length).storeBytes(of: indexWord, as: UInt32.self)
            let authenticatedLength = length + Self.srtcpIndexLength
            guard
                parley_srtp_hmac_sha1_digest(
                    authenticator, base, authenticatedLength, nil, 0, scratch + Self.digestOffset) == 1
            else { throw .cryptoFailure }
            (base + authenticatedLength).copyMemory(from: scratch + Self.digestOffset, byteCount: tagLength)
        }
        return length + Self.srtcpIndexLength + tagLength
    }

    /// Unprotects the SRTCP packet in the first `length` bytes of `packet` in place and returns the RTCP
    /// packet's length (index and tag dropped). The SRTCP index is checked against the replay window
    /// before authentication, the tag before decryption, and the window moves only for an authentic packet
    /// (RFC 3711 sections 3.4 and 3.3.2). A packet with E = 0 is authenticated only and left as it is
    /// (for GCM the whole packet is then AAD, RFC 7714 section 9).
    public func unprotectRTCP(_ packet: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let tagLength = profile.rtcpAuthTagLength
        guard length >= 0, length <= packet.count else { throw .bufferTooSmall }
        guard let base = packet.baseAddress, length >= Self.rtcpClearLength + Self.srtcpIndexLength + tagLength
        else { throw .tooShort }

        let ssrc = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let rtcpLength = length - Self.srtcpIndexLength - tagLength
        let indexOffset = profile.isAEAD ? length - Self.srtcpIndexLength : rtcpLength
        let indexWord = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: indexOffset, as: UInt32.self))
        let isEncrypted = indexWord & 0x8000_0000 != 0
        let index = UInt64(indexWord & 0x7FFF_FFFF)
        let slot = rtcpStreams.slot(of: ssrc)
        if let slot { try rtcpStreams.streams[slot].window.check(index) }

        let payload = base + Self.rtcpClearLength
        let payloadLength = rtcpLength - Self.rtcpClearLength
        switch profile {
        case .aeadAES128GCM:
            writeGCMIV(salt: rtcp.salt, ssrc: ssrc, index: index)
            let tag = base + rtcpLength
            let indexBytes = base + indexOffset
            let opened =
                isEncrypted
                ? parley_srtp_gcm_open(
                    rtcp.cipher, scratch, base, Self.rtcpClearLength, indexBytes, Self.srtcpIndexLength, payload,
                    payloadLength, tag)
                : parley_srtp_gcm_open(
                    rtcp.cipher, scratch, base, rtcpLength, indexBytes, Self.srtcpIndexLength, nil, 0, tag)
            if opened == 0 { throw .authenticationFailed }
            guard opened == 1 else { throw .cryptoFailure }
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32:
            guard let authenticator = rtcp.authenticator else { throw .cryptoFailure }
            let authenticatedLength = rtcpLength + Self.srtcpIndexLength
            guard
                parley_srtp_hmac_sha1_digest(
                    authenticator, base, authenticatedLength, nil, 0, scratch + Self.digestOffset) == 1
            else { throw .cryptoFailure }
            guard CRYPTO_memcmp(scratch + Self.digestOffset, base + authenticatedLength, tagLength) == 0 else {
                throw .authenticationFailed
            }
            if isEncrypted {
                writeCounterIV(salt: rtcp.salt, ssrc: ssrc, index: index)
                guard parley_srtp_aes_cm(rtcp.cipher, scratch, payload, payloadLength) == 1 else {
                    throw .cryptoFailure
                }
            }
        }

        if let slot {
            rtcpStreams.streams[slot].window.accept(index)
        } else {
            rtcpStreams.insert(SRTPStreamState(ssrc: ssrc, window: SRTPReplayWindow(highest: index)))
        }
        return rtcpLength
    }

    /// Sets the SRTCP index the next packet protected for `ssrc` carries, to reproduce published vectors.
    func setNextSRTCPIndex(_ index: UInt32, ssrc: UInt32) {
        let next = index & 0x7FFF_FFFF
        if let slot = rtcpStreams.slot(of: ssrc) {
            rtcpStreams.streams[slot].nextSRTCPIndex = next
        } else {
            rtcpStreams.insert(
                SRTPStreamState(ssrc: ssrc, window: SRTPReplayWindow(highest: 0), nextSRTCPIndex: next))
        }
    }
}
