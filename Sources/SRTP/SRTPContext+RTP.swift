import COpenSSL

extension SRTPContext {
    /// Protects the RTP packet in the first `length` bytes of `packet` in place: encrypts the payload and
    /// appends the tag (RFC 3711 section 3.3, RFC 7714 section 8). `packet.count` must be at least
    /// `length + profile.rtpAuthTagLength`. Returns the SRTP packet's length.
    ///
    /// The sender's ROC counts wraps of the sequence number (RFC 3711 section 3.3.1); the index is estimated
    /// as a receiver would, so a resent older packet keeps the ROC it was first sent with.
    public func protectRTP(_ packet: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let tagLength = profile.rtpAuthTagLength
        guard length >= 0, length <= packet.count else { throw .bufferTooSmall }
        guard let base = packet.baseAddress,
            let headerLength = Self.rtpHeaderLength(UnsafeRawPointer(base), length: length)
        else { throw .tooShort }
        guard packet.count - length >= tagLength else { throw .bufferTooSmall }

        let sequence = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        let ssrc = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let index: UInt64
        if let slot = rtpStreams.slot(of: ssrc) {
            let highest = rtpStreams.streams[slot].window.highest
            // A sequence number that would need ROC -1 stays in the current roll-over cycle.
            index = SRTPStreamState.estimatedIndex(of: sequence, highest: highest)
                ?? ((highest >> 16) << 16 | UInt64(sequence))
            if index > highest { rtpStreams.streams[slot].window.accept(index) }
        } else {
            // Section 3.3.1: a new stream starts with ROC 0.
            index = UInt64(sequence)
            rtpStreams.insert(SRTPStreamState(ssrc: ssrc, window: SRTPReplayWindow(highest: index)))
        }

        let payload = base + headerLength
        let payloadLength = length - headerLength
        switch profile {
        case .aeadAES128GCM:
            // RFC 7714 section 8.1: the header is the AAD; the 16-byte tag follows the ciphertext.
            writeGCMIV(salt: rtp.salt, ssrc: ssrc, index: index)
            guard
                parley_srtp_gcm_seal(
                    rtp.cipher, scratch, base, headerLength, nil, 0, payload, payloadLength, base + length) == 1
            else { throw .cryptoFailure }
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32:
            writeCounterIV(salt: rtp.salt, ssrc: ssrc, index: index)
            guard parley_srtp_aes_cm(rtp.cipher, scratch, payload, payloadLength) == 1,
                let authenticator = rtp.authenticator
            else { throw .cryptoFailure }
            // Section 4.2: the tag is HMAC-SHA1(k_a, header || encrypted payload || ROC), truncated.
            let rolloverCounter = UInt32(truncatingIfNeeded: index >> 16)
            scratch.storeBytes(of: rolloverCounter.bigEndian, toByteOffset: Self.trailerOffset, as: UInt32.self)
            guard
                parley_srtp_hmac_sha1_digest(
                    authenticator, base, length, scratch + Self.trailerOffset, 4, scratch + Self.digestOffset) == 1
            else { throw .cryptoFailure }
            (base + length).copyMemory(from: scratch + Self.digestOffset, byteCount: tagLength)
        }
        return length + tagLength
    }

    /// Unprotects the SRTP packet in the first `length` bytes of `packet` in place and returns the RTP
    /// packet's length (the tag dropped). RFC 3711 section 3.3 steps, in order: estimate the index
    /// (section 3.3.1), reject replays and packets behind the window (section 3.3.2), authenticate
    /// (constant-time compare), decrypt; the ROC, s_l and replay window move only for an authentic packet.
    /// AEAD_AES_128_GCM (RFC 7714 section 8) checks the tag while decrypting; on failure the payload bytes
    /// are left scrambled, so drop the packet.
    public func unprotectRTP(_ packet: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPError) -> Int {
        let tagLength = profile.rtpAuthTagLength
        guard length >= 0, length <= packet.count else { throw .bufferTooSmall }
        guard let base = packet.baseAddress, length >= 12 + tagLength,
            let headerLength = Self.rtpHeaderLength(UnsafeRawPointer(base), length: length - tagLength)
        else { throw .tooShort }

        let sequence = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        let ssrc = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let slot = rtpStreams.slot(of: ssrc)
        let index: UInt64
        if let slot {
            let window = rtpStreams.streams[slot].window
            guard let estimated = SRTPStreamState.estimatedIndex(of: sequence, highest: window.highest) else {
                throw .tooOld
            }
            try window.check(estimated)
            index = estimated
        } else {
            // Section 3.3.1: the first packet of a stream sets s_l = SEQ with ROC 0.
            index = UInt64(sequence)
        }

        let authenticatedLength = length - tagLength
        let payload = base + headerLength
        let payloadLength = authenticatedLength - headerLength
        let tag = base + authenticatedLength
        switch profile {
        case .aeadAES128GCM:
            writeGCMIV(salt: rtp.salt, ssrc: ssrc, index: index)
            let opened = parley_srtp_gcm_open(
                rtp.cipher, scratch, base, headerLength, nil, 0, payload, payloadLength, tag)
            if opened == 0 { throw .authenticationFailed }
            guard opened == 1 else { throw .cryptoFailure }
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32:
            guard let authenticator = rtp.authenticator else { throw .cryptoFailure }
            let rolloverCounter = UInt32(truncatingIfNeeded: index >> 16)
            scratch.storeBytes(of: rolloverCounter.bigEndian, toByteOffset: Self.trailerOffset, as: UInt32.self)
            guard
                parley_srtp_hmac_sha1_digest(
                    authenticator, base, authenticatedLength, scratch + Self.trailerOffset, 4,
                    scratch + Self.digestOffset) == 1
            else { throw .cryptoFailure }
            guard CRYPTO_memcmp(scratch + Self.digestOffset, tag, tagLength) == 0 else {
                throw .authenticationFailed
            }
            writeCounterIV(salt: rtp.salt, ssrc: ssrc, index: index)
            guard parley_srtp_aes_cm(rtp.cipher, scratch, payload, payloadLength) == 1 else {
                throw .cryptoFailure
            }
        }

        if let slot {
            rtpStreams.streams[slot].window.accept(index)
        } else {
            rtpStreams.insert(SRTPStreamState(ssrc: ssrc, window: SRTPReplayWindow(highest: index)))
        }
        return authenticatedLength
    }

    /// The RTP header's length within the first `length` bytes at `packet`: 12 fixed bytes, 4 per CSRC, and
    /// the header extension's 4-byte head plus its `length` 32-bit words (RFC 3550 sections 5.1 and 5.3.1).
    /// nil when it does not fit. SRTP leaves all of it in the clear (RFC 3711 section 3.1).
    static func rtpHeaderLength(_ packet: UnsafeRawPointer, length: Int) -> Int? {
        guard length >= 12 else { return nil }
        let first = packet.load(as: UInt8.self)
        var headerLength = 12 + 4 * Int(first & 0x0F)
        if first & 0x10 != 0 {
            guard length >= headerLength + 4 else { return nil }
            let words = UInt16(bigEndian: packet.loadUnaligned(fromByteOffset: headerLength + 2, as: UInt16.self))
            headerLength += 4 + 4 * Int(words)
        }
        return headerLength <= length ? headerLength : nil
    }
}
