@testable import SRTP
import Testing

/// Published vectors. RFC 3711 appendix B and RFC 7714 sections 16-17 are copied from the RFC texts. The
/// libsrtp packets are libsrtp's validation packets (srtp_validate; the AEAD ones as carried by a port of
/// libsrtp's validation tests). All were also reproduced with OpenSSL outside this package.
@Suite("SRTP vectors")
struct SRTPVectorTests {
    static let rfc3711MasterKey = SRTPMasterKey(
        key: bytes("E1F97A0D3E018BE0D64FA32C06DE4139"), salt: bytes("0EC675AD498AFEEBB6960B3AABE6"))

    // MARK: RFC 3711 appendix B

    /// B.2: session key 2B7E...4F3C, session salt F0F1...FCFD, SSRC 0, ROC 0, SEQ 0. A zero payload encrypts
    /// to the keystream, so this checks the IV (salt * 2^16) and the counter over 65282 blocks.
    @Test func appendixB2KeystreamThroughTheRTPPath() throws {
        let keys = SRTPSessionKeys(
            encryptionKey: bytes("2B7E151628AED2A6ABF7158809CF4F3C"),
            authenticationKey: [UInt8](repeating: 0, count: 20),
            salt: bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"))
        let context = try SRTPContext(profile: .aesCM128HmacSHA1_80, rtpKeys: keys, rtcpKeys: keys)
        let segmentLength = 1_044_512
        let header: [UInt8] = [0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let protected = try context.protectRTP(header + [UInt8](repeating: 0, count: segmentLength))
        #expect(protected.count == 12 + segmentLength + 10)
        let keystream = protected[12..<(12 + segmentLength)]
        #expect(
            Array(keystream.prefix(48))
                == bytes(
                    """
                    E03EAD0935C95E80E166B16DD92B4EB4
                    D23513162B02D0F72A43A2FE4A5F97AB
                    41E95B3BB0A2E8DD477901E4FCA894C0
                    """))
        #expect(
            Array(keystream.suffix(48))
                == bytes(
                    """
                    EC8CDF7398607CB0F2D21675EA9EA1E4
                    362B7C3C6773516318A077D7FC5073AE
                    6A2CC3787889374FBEB4C81B17BA6C44
                    """))
    }

    /// B.3: master key E1F9...4139, master salt 0EC6...ABE6, key derivation rate 0.
    @Test func appendixB3KeyDerivation() throws {
        let keys = try #require(
            SRTPSessionKeys(profile: .aesCM128HmacSHA1_80, masterKey: Self.rfc3711MasterKey, rtcp: false))
        #expect(keys.encryptionKey == bytes("C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(keys.salt == bytes("30CBBC08863D8C85D49DB34A9AE1"))
        // HMAC-SHA1 takes the first 160 bits of the auth key.
        #expect(keys.authenticationKey == bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
        // The appendix lists 94 bytes of auth key, six AES-CM blocks with inputs ...60000 to ...60005.
        let longKey = try #require(
            SRTPSessionKeys.derive(masterKey: Self.rfc3711MasterKey, label: .rtpAuthentication, length: 94))
        #expect(
            longKey
                == bytes(
                    """
                    CEBE321F6FF7716B6FD4AB49AF256A15
                    6D38BAA48F0A0ACF3C34E2359E6CDBCE
                    E049646C43D9327AD175578EF7227098
                    6371C10C9A369AC2F94A8C5FBCDDDC25
                    6D6E919A48B610EF17C2041E47403576
                    6B68642C59BBFC2F34DB60DBDFB2
                    """))
    }

    // MARK: libsrtp reference packets (AES_CM_128_HMAC_SHA1_80, master key and salt of RFC 3711 B.3)

    @Test func libsrtpReferenceRTPAndRTCP() throws {
        let sender = try SRTPContext(profile: .aesCM128HmacSHA1_80, masterKey: Self.rfc3711MasterKey)
        let receiver = try SRTPContext(profile: .aesCM128HmacSHA1_80, masterKey: Self.rfc3711MasterKey)

        let rtp = bytes("800f1234decafbadcafebabe") + [UInt8](repeating: 0xAB, count: 16)
        let srtp = bytes("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb")
        #expect(try sender.protectRTP(rtp) == srtp)
        #expect(try receiver.unprotectRTP(srtp) == rtp)

        // libsrtp numbers its first SRTCP packet 1; RFC 3711 section 3.4 (and this context) starts at 0.
        sender.setNextSRTCPIndex(1, ssrc: 0xCAFE_BABE)
        let rtcp = bytes("81c8000bcafebabe") + [UInt8](repeating: 0xAB, count: 16)
        let srtcp = bytes("81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798")
        #expect(try sender.protectRTCP(rtcp) == srtcp)
        #expect(try receiver.unprotectRTCP(srtcp) == rtcp)
    }

    /// AEAD_AES_128_GCM from a 12-byte master salt through the key derivation (RFC 7714 section 11 with
    /// errata 4938: the salt is padded with two zero bytes), with a header extension as part of the AAD.
    @Test func libsrtpReferenceGCMWithKeyDerivation() throws {
        let master = SRTPMasterKey(
            key: bytes("e1f97a0d3e018be0d64fa32c06de4139"), salt: bytes("0ec675ad498afeebb6960b3a"))
        let sender = try SRTPContext(profile: .aeadAES128GCM, masterKey: master)
        let receiver = try SRTPContext(profile: .aeadAES128GCM, masterKey: master)

        let rtp = bytes(
            """
            900f1234decafbad cafebabebede0006 17414273A4752627 48220000C8308E46
            55996386B395FB00 abababababababab abababababababab
            """)
        let srtp = bytes(
            """
            900f1234decafbadcafebabebede000617414273a475262748220000c8308e46
            55996386b395fb000eca0cf95ee955b26cd3d288b49f6ca9e0eb4eab09af2bae
            f6804f141b9b02b0
            """)
        #expect(try sender.protectRTP(rtp) == srtp)
        #expect(try receiver.unprotectRTP(srtp) == rtp)

        sender.setNextSRTCPIndex(1, ssrc: 0xCB20_0183)
        let rtcp = bytes(
            """
            c80006f3cb200183ab03a1eb020b3a000094200000009e00009b8881ca0005f3
            cb2001010a6f757468616e6e656c00000000
            """)
        let srtcp = bytes(
            """
            c80006f3cb2001836e87f6bdcdb482b1997e0b097cae3c38df506b92692b408d
            da5a40326902a488b6126e8d229a810cedec9de3e6e4876bc08e75eda2f7dc33
            67a080000001
            """)
        #expect(try sender.protectRTCP(rtcp) == srtcp)
        #expect(try receiver.unprotectRTCP(srtcp) == rtcp)
    }

    // MARK: RFC 7714 sections 16 and 17 (session key and salt given directly)

    static let gcmKeys = SRTPSessionKeys(
        encryptionKey: bytes("000102030405060708090a0b0c0d0e0f"), authenticationKey: [],
        salt: bytes("517569642070726f2071756f"))

    static func gcmContext() throws -> SRTPContext {
        try SRTPContext(profile: .aeadAES128GCM, rtpKeys: gcmKeys, rtcpKeys: gcmKeys)
    }

    static let rfc7714RTP = bytes(
        """
        8040f17b 8041f8d3 5501a0b2 47616c6c
        69612065 7374206f 6d6e6973 20646976
        69736120 696e2070 61727465 73207472
        6573
        """)

    static let rfc7714RTCP = bytes(
        """
        81c8000d 4d617273 4e545031 4e545032
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef
        """)

    /// 16.1: SSRC 5501a0b2, ROC 0, SEQ f17b; IV 51753c6580c2726f20718414.
    @Test func rfc7714Section16RTP() throws {
        let srtp = bytes(
            """
            8040f17b 8041f8d3 5501a0b2 f24de3a3
            fb34de6c acba861c 9d7e4bca be633bd5
            0d294e6f 42a5f47a 51c7d19b 36de3adf
            8833899d 7f27beb1 6a9152cf 765ee439
            0cce
            """)
        #expect(try Self.gcmContext().protectRTP(Self.rfc7714RTP) == srtp)
        #expect(try Self.gcmContext().unprotectRTP(srtp) == Self.rfc7714RTP)
    }

    /// 17.1: SSRC "Mars", SRTCP index 0x5d4, E = 1; IV 517524055203726f207170bb.
    @Test func rfc7714Section17RTCP() throws {
        let srtcp = bytes(
            """
            81c8000d 4d617273 63e94885 dcdab67c
            a727d766 2f6b7e99 7ff5c0f7 6c06f32d
            c676a5f1 730d6fda 4ce09b46 86303ded
            0bb9275b c84aa458 96cf4d2f c5abf872
            45d9eade 800005d4
            """)
        let sender = try Self.gcmContext()
        sender.setNextSRTCPIndex(0x5D4, ssrc: 0x4D61_7273)
        #expect(try sender.protectRTCP(Self.rfc7714RTCP) == srtcp)
        #expect(try Self.gcmContext().unprotectRTCP(srtcp) == Self.rfc7714RTCP)
    }

    /// The tagging-only SRTCP case (E = 0: the whole packet is AAD, nothing is encrypted), same keys and
    /// index. These bytes are taken from pion/srtp's copy of the RFC 7714 section 17 vectors (the RFC text
    /// itself was not at hand); an independent OpenSSL computation reproduces them.
    @Test func rfc7714TaggingOnlyRTCP() throws {
        let tagged = bytes(
            """
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef 841dd968 3dd78ec9 2ae58790
            125f62b3 000005d4
            """)
        #expect(try Self.gcmContext().unprotectRTCP(tagged) == Self.rfc7714RTCP)
        var forged = tagged
        forged[20] ^= 0x01
        #expect(throws: SRTPError.authenticationFailed) { try Self.gcmContext().unprotectRTCP(forged) }
    }

    /// The IVs the RFC prints, built by the context's IV writers.
    @Test func rfc7714InitializationVectors() throws {
        let context = try Self.gcmContext()
        context.writeGCMIV(salt: context.rtp.salt, ssrc: 0x5501_A0B2, index: 0xF17B)
        #expect(Array(UnsafeRawBufferPointer(start: context.scratch, count: 12)) == bytes("51753c6580c2726f20718414"))
        context.writeGCMIV(salt: context.rtcp.salt, ssrc: 0x4D61_7273, index: 0x5D4)
        #expect(Array(UnsafeRawBufferPointer(start: context.scratch, count: 12)) == bytes("517524055203726f207170bb"))
    }
}
