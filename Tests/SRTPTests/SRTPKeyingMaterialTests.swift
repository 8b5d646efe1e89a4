@testable import SRTP
import Testing

@Suite("SRTP profiles and DTLS-SRTP keying material")
struct SRTPKeyingMaterialTests {
    @Test func profilesFromTheDTLSRegistry() {
        #expect(SRTPProfile(dtlsProfileID: 0x0001) == .aesCM128HmacSHA1_80)
        #expect(SRTPProfile(dtlsProfileID: 0x0002) == .aesCM128HmacSHA1_32)
        #expect(SRTPProfile(dtlsProfileID: 0x0007) == .aeadAES128GCM)
        for unsupported: UInt16 in [0x0000, 0x0005, 0x0006, 0x0008, 0xFFFF] {
            #expect(SRTPProfile(dtlsProfileID: unsupported) == nil)
        }
        for profile in allProfiles {
            #expect(SRTPProfile(dtlsProfileID: profile.dtlsProfileID) == profile)
        }
    }

    @Test func profileParameters() {
        #expect(allProfiles.map(\.masterKeyLength) == [16, 16, 16])
        #expect(allProfiles.map(\.masterSaltLength) == [14, 14, 12])
        #expect(allProfiles.map(\.rtpAuthTagLength) == [10, 4, 16])
        #expect(allProfiles.map(\.rtcpAuthTagLength) == [10, 10, 16])
        #expect(
            allProfiles.map(\.openSSLName)
                == ["SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_SHA1_32", "SRTP_AEAD_AES_128_GCM"])
        #expect(allProfiles.map { SRTPKeyingMaterial.exportLength(for: $0) } == [60, 60, 56])
    }

    /// RFC 5764 section 4.2: client key | server key | client salt | server salt.
    @Test(arguments: allProfiles)
    func splitFollowsRFC5764(profile: SRTPProfile) throws {
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        let exported = (0..<SRTPKeyingMaterial.exportLength(for: profile)).map { UInt8($0) }
        let clientKey = Array(exported[0..<keyLength])
        let serverKey = Array(exported[keyLength..<(2 * keyLength)])
        let clientSalt = Array(exported[(2 * keyLength)..<(2 * keyLength + saltLength)])
        let serverSalt = Array(exported[(2 * keyLength + saltLength)...])

        let client = try #require(SRTPKeyingMaterial.split(exported, profile: profile, isDTLSClient: true))
        #expect(client.local.key == clientKey)
        #expect(client.local.salt == clientSalt)
        #expect(client.remote.key == serverKey)
        #expect(client.remote.salt == serverSalt)

        let server = try #require(SRTPKeyingMaterial.split(exported, profile: profile, isDTLSClient: false))
        #expect(server.local.key == serverKey)
        #expect(server.local.salt == serverSalt)
        #expect(server.remote.key == clientKey)
        #expect(server.remote.salt == clientSalt)
    }

    @Test func splitRefusesTheWrongLength() {
        let short = [UInt8](repeating: 0, count: 56)
        let long = [UInt8](repeating: 0, count: 60)
        #expect(SRTPKeyingMaterial.split(short, profile: .aesCM128HmacSHA1_80, isDTLSClient: true) == nil)
        #expect(SRTPKeyingMaterial.split(long, profile: .aeadAES128GCM, isDTLSClient: true) == nil)
        #expect(SRTPKeyingMaterial.split([], profile: .aesCM128HmacSHA1_32, isDTLSClient: false) == nil)
    }

    @Test func masterKeysDoNotPrintTheirBytes() {
        let key = SRTPMasterKey(key: [UInt8](repeating: 0xAB, count: 16), salt: [UInt8](repeating: 0xCD, count: 14))
        #expect(String(describing: key) == "SRTPMasterKey(16-byte key, 14-byte salt)")
        #expect(String(reflecting: key) == String(describing: key))
    }
}
