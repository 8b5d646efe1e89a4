import DTLS
import Testing

@Suite("DTLS-SRTP keying material")
struct DTLSSRTPKeyingMaterialTests {
    /// RFC 5764 section 4.2: client key | server key | client salt | server salt.
    @Test func aesCMLayout() throws {
        let material = (0..<60).map { UInt8($0) }
        let client = DTLSSRTPKeyingMaterial(protectionProfileID: 0x0001, material: material, isClient: true)
        let local = try #require(client.localKeyAndSalt)
        let remote = try #require(client.remoteKeyAndSalt)
        #expect(Array(local.key) == [UInt8](0..<16))
        #expect(Array(remote.key) == [UInt8](16..<32))
        #expect(Array(local.salt) == [UInt8](32..<46))
        #expect(Array(remote.salt) == [UInt8](46..<60))

        var server = client
        server.isClient = false
        #expect(server.localKeyAndSalt.map { Array($0.key) } == [UInt8](16..<32))
        #expect(server.localKeyAndSalt.map { Array($0.salt) } == [UInt8](46..<60))
        #expect(server.remoteKeyAndSalt.map { Array($0.key) } == [UInt8](0..<16))
    }

    /// RFC 7714 section 12: AEAD_AES_128_GCM has a 16-byte key and a 12-byte salt.
    @Test func gcmLayout() throws {
        let material = (0..<56).map { UInt8($0) }
        let server = DTLSSRTPKeyingMaterial(protectionProfileID: 0x0007, material: material, isClient: false)
        let local = try #require(server.localKeyAndSalt)
        #expect(Array(local.key) == [UInt8](16..<32))
        #expect(Array(local.salt) == [UInt8](44..<56))
        #expect(server.remoteKeyAndSalt.map { Array($0.salt) } == [UInt8](32..<44))
    }

    @Test func lengths() {
        func lengths(_ id: UInt16) -> [Int]? {
            DTLSSRTPKeyingMaterial.keyAndSaltLength(forProfile: id).map { [$0.key, $0.salt] }
        }
        #expect(lengths(0x0001) == [16, 14])
        #expect(lengths(0x0002) == [16, 14])
        #expect(lengths(0x0007) == [16, 12])
        #expect(lengths(0x0008) == [32, 12])
        #expect(lengths(0x0005) == nil)
    }

    @Test func shortMaterialGivesNoKeys() {
        let short = DTLSSRTPKeyingMaterial(protectionProfileID: 0x0001, material: [1, 2, 3], isClient: true)
        #expect(short.localKeyAndSalt?.key == nil)
        #expect(short.remoteKeyAndSalt?.salt == nil)
    }

    /// DESIGN.md: SRTP keys never reach a log, so describing the value leaves them out.
    @Test func descriptionHidesTheKeys() {
        let material = DTLSSRTPKeyingMaterial(
            protectionProfileID: 0x0007, material: Array(repeating: 0xAB, count: 56), isClient: true)
        let text = "\(material) \(String(reflecting: material)) \(DTLSEvent.connected(material))"
        #expect(text.contains("0x0007"))
        #expect(!text.lowercased().contains("ab"))
        #expect(!text.contains("171"))
    }
}
