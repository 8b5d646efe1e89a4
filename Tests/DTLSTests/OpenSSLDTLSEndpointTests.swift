import DTLS
import DTLSOpenSSL
import NIOCore
import Testing

@Suite("OpenSSL DTLS endpoint")
struct OpenSSLDTLSEndpointTests {
    /// A DTLS 1.2 record (RFC 6347 section 4.1) in epoch 0 with the given content type and body.
    static func record(type: UInt8, body: [UInt8]) -> [UInt8] {
        [type, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 7, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// Datagrams no handshake can use: not DTLS at all (RFC 7983), DTLS framing with a bad version, and
    /// well-framed epoch-0 records OpenSSL fails on (a malformed handshake message, a bogus alert, a
    /// ChangeCipherSpec out of order, application data before any keys).
    static let garbage: [[UInt8]] = { () -> [[UInt8]] in
        let record = OpenSSLDTLSEndpointTests.record(type:body:)
        // A ClientHello header (type 1, length 175, message_seq 0, one fragment) over a body of junk.
        let badClientHello: [UInt8] = [1, 0, 0, 175, 0, 0, 0, 0, 0, 0, 0, 175] + Array(repeating: 0xAB, count: 175)
        return [
            [],
            [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42],
            [0x80, 0x00, 0x00, 0x01],
            Array(repeating: 0x16, count: 50),
            (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) },
            record(22, Array(repeating: 0xAB, count: 187)),
            record(22, badClientHello),
            record(21, [0xAB, 0xAB]),
            record(20, [0x01]),
            record(23, Array(repeating: 0xAB, count: 40)),
        ]
    }()

    @Test func generatedCertificate() throws {
        let first = try DTLSCertificate.generate()
        let second = try DTLSCertificate.generate(commonName: "other")
        #expect(first.fingerprint.algorithm == "sha-256")
        #expect(first.fingerprint.bytes.count == 32)
        #expect(first.fingerprint.sdpValue.utf8.count == 95)
        #expect(DTLSFingerprint(sdpValue: first.fingerprint.sdpValue, algorithm: "sha-256") == first.fingerprint)
        #expect(first.fingerprint != second.fingerprint)
        #expect(first.defaultContext.profiles == [0x0007, 0x0001, 0x0002])
    }

    @Test func handshakeDerivesTheSameKeysOnBothSides() throws {
        let link = try DTLSTestLink()
        link.start()
        // A server waits without a timer; the client's ClientHello runs one of about a second.
        #expect(link.server.nextDeadline == nil)
        let deadline = try #require(link.client.nextDeadline)
        #expect(deadline > link.now && deadline <= link.now + .seconds(1))

        link.run()
        #expect(link.client.isConnected && link.server.isConnected)
        #expect(link.clientEvents.map(\.kind) == ["connected"])
        #expect(link.serverEvents.map(\.kind) == ["connected"])
        let clientKeys = try #require(link.clientEvents.first?.keyingMaterial)
        let serverKeys = try #require(link.serverEvents.first?.keyingMaterial)
        // Both offer AEAD_AES_128_GCM first (RFC 7714): 2 * (16 + 12) bytes.
        #expect(clientKeys.protectionProfileID == 0x0007 && serverKeys.protectionProfileID == 0x0007)
        #expect(clientKeys.material.count == 56)
        #expect(clientKeys.material == serverKeys.material)
        #expect(clientKeys.material.contains { $0 != 0 })
        #expect(clientKeys.isClient && !serverKeys.isClient)
        // What one side sends with, the other receives with.
        #expect(clientKeys.localKeyAndSalt.map { Array($0.key) } == serverKeys.remoteKeyAndSalt.map { Array($0.key) })
        #expect(
            clientKeys.remoteKeyAndSalt.map { Array($0.salt) } == serverKeys.localKeyAndSalt.map { Array($0.salt) })
        #expect(link.largestDatagram > 0 && link.largestDatagram <= OpenSSLDTLSEndpoint.mtu)
        // No timer runs once connected.
        #expect(link.client.nextDeadline == nil && link.server.nextDeadline == nil)
    }

    @Test func twoHandshakesExportDifferentKeys() throws {
        let first = try DTLSTestLink()
        let second = try DTLSTestLink()
        first.start()
        second.start()
        first.run()
        second.run()
        let firstKeys = try #require(first.clientEvents.first?.keyingMaterial)
        let secondKeys = try #require(second.clientEvents.first?.keyingMaterial)
        #expect(firstKeys.material != secondKeys.material)
    }

    /// RFC 5764 section 4.1.2: an AES-CM profile exports 2 * (16 + 14) bytes.
    @Test func aesCMWhenTheClientOffersOnlyThat() throws {
        let link = try DTLSTestLink(clientProfiles: [0x0001])
        link.start()
        link.run()
        let clientKeys = try #require(link.clientEvents.first?.keyingMaterial)
        let serverKeys = try #require(link.serverEvents.first?.keyingMaterial)
        #expect(clientKeys.protectionProfileID == 0x0001 && serverKeys.protectionProfileID == 0x0001)
        #expect(clientKeys.material.count == 60)
        #expect(clientKeys.material == serverKeys.material)
    }

    /// RFC 5764 section 4.1.3: without a common profile the server answers without use_srtp; neither side may
    /// go on without SRTP keys.
    @Test func noCommonProfileFailsBothSides() throws {
        let link = try DTLSTestLink(clientProfiles: [0x0002], serverProfiles: [0x0007])
        link.start()
        link.run()
        #expect(link.serverEvents.count == 1 && link.serverEvents.compactMap(\.failure) == [.noSRTPProfile])
        #expect(link.clientEvents.count == 1 && link.clientEvents.compactMap(\.failure) == [.noSRTPProfile])
        #expect(!link.client.isConnected && !link.server.isConnected)
    }

    @Test func wrongFingerprintAtTheClient() throws {
        let link = try DTLSTestLink(wrongFingerprintAtClient: true)
        link.start()
        link.run()
        #expect(link.clientEvents.count == 1 && link.clientEvents.compactMap(\.failure) == [.fingerprintMismatch])
        #expect(!link.client.isConnected)
        // The server finished first, then got the client's close_notify.
        #expect(link.serverEvents.map(\.kind) == ["connected", "closed"])
        #expect(!link.server.isConnected)
        #expect(link.client.nextDeadline == nil)
    }

    @Test func wrongFingerprintAtTheServer() throws {
        let link = try DTLSTestLink(wrongFingerprintAtServer: true)
        link.start()
        link.run()
        #expect(link.serverEvents.count == 1 && link.serverEvents.compactMap(\.failure) == [.fingerprintMismatch])
        #expect(!link.server.isConnected)
        // The server's last flight and its close_notify come in one datagram: connected, then closed.
        #expect(link.clientEvents.map(\.kind) == ["connected", "closed"])
        #expect(!link.client.isConnected)
    }

    /// Garbage reaching a waiting server is dropped without an answer, and the real handshake still works.
    @Test func garbageAtAWaitingServer() throws {
        let link = try DTLSTestLink()
        for datagram in Self.garbage {
            let event = datagram.withUnsafeBytes { link.server.receive($0, now: link.now) }
            #expect(event?.kind == nil)
            #expect(link.server.takeOutgoing().isEmpty)
            #expect(!link.server.isConnected)
        }
        link.start()
        link.run()
        #expect(link.client.isConnected && link.server.isConnected)
        #expect(link.serverEvents.map(\.kind) == ["connected"])
    }

    /// A client waiting for the server's flight may fail on garbage, but never connects or crashes.
    @Test func garbageAtAWaitingClient() throws {
        let link = try DTLSTestLink()
        link.client.start(now: link.now)
        for datagram in Self.garbage {
            let event = datagram.withUnsafeBytes { link.client.receive($0, now: link.now) }
            #expect(event?.kind != "connected")
            #expect(!link.client.isConnected)
        }
    }

    /// The server's first flight is lost; OpenSSL's retransmission timer (on the wall clock, 20 ms here) resends it.
    /// The client's timer has expired too, so it resends its ClientHello (record version DTLS 1.0) just before its
    /// next flight: the two must go in separate datagrams, or the OpenSSL server loses that flight.
    @Test func lostFlightIsRetransmitted() async throws {
        let link = try DTLSTestLink(initialRetransmissionTimeout: .milliseconds(20))
        link.start()
        #expect(link.flush(from: link.client, to: link.server) == 1)  // ClientHello
        #expect(link.flush(from: link.server, to: link.client, drop: true) >= 1)  // ServerHello...Done, lost
        #expect(link.clientEvents.isEmpty && !link.client.isConnected)

        try await Task.sleep(nanoseconds: 40_000_000)
        let deadline = try #require(link.server.nextDeadline)
        link.now = max(link.now, deadline)
        #expect(link.server.handleTimeout(now: link.now)?.kind == nil)
        #expect(link.flush(from: link.server, to: link.client) >= 1)  // the same flight again

        link.run()
        #expect(link.client.isConnected && link.server.isConnected)
        let clientKeys = try #require(link.clientEvents.first?.keyingMaterial)
        let serverKeys = try #require(link.serverEvents.first?.keyingMaterial)
        #expect(clientKeys.material == serverKeys.material)
    }

    /// A virtual clock may run ahead of OpenSSL's: a timeout OpenSSL does not see as due sends nothing and only
    /// moves the deadline.
    @Test func timeoutBeforeOpenSSLSeesItDueSendsNothing() throws {
        let link = try DTLSTestLink()
        link.client.start(now: link.now)
        #expect(link.client.takeOutgoing().count == 1)
        let later = link.now + .seconds(30)
        #expect(link.client.handleTimeout(now: later)?.kind == nil)
        #expect(link.client.takeOutgoing().isEmpty)
        let deadline = try #require(link.client.nextDeadline)
        #expect(deadline > later && deadline <= later + .seconds(1))
    }

    @Test func closeSendsCloseNotify() throws {
        let link = try DTLSTestLink()
        link.start()
        link.run()
        link.client.close()
        #expect(!link.client.isConnected && link.client.nextDeadline == nil)
        link.run()
        #expect(link.serverEvents.map(\.kind) == ["connected", "closed"])
        #expect(!link.server.isConnected)
        // A closed endpoint drops whatever comes later.
        let late = Self.record(type: 23, body: [1, 2, 3])
        let lateEvent = late.withUnsafeBytes { link.client.receive($0, now: link.now) }
        #expect(lateEvent?.kind == nil)
        #expect(link.client.takeOutgoing().isEmpty)
    }

    @Test func setupErrors() throws {
        let certificate = try DTLSCertificate.generate()
        #expect(throws: DTLSOpenSSLError.unsupportedProfile(0x0005)) {
            _ = try OpenSSLDTLSEndpoint(
                role: .client, certificate: certificate, remoteFingerprint: certificate.fingerprint,
                profiles: [0x0001, 0x0005])
        }
        #expect(throws: DTLSOpenSSLError.noProfiles) {
            _ = try DTLSContext(certificate: certificate, profiles: [])
        }
        let md5 = DTLSFingerprint(algorithm: "md5", bytes: Array(repeating: 0, count: 16))
        #expect(throws: DTLSOpenSSLError.unsupportedFingerprintAlgorithm("md5")) {
            _ = try OpenSSLDTLSEndpoint(role: .server, certificate: certificate, remoteFingerprint: md5)
        }
    }
}
