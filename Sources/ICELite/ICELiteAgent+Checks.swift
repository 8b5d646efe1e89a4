import NIOCore
import STUN

extension ICELiteAgent {
    /// Handles one datagram that looks like STUN (RFC 7983: first byte 0-3), received from `source` at `now`.
    ///
    /// Only Binding requests are answered (RFC 8445 section 7.3), in this order:
    /// 1. FINGERPRINT must be present and right, else the datagram is dropped unanswered;
    /// 2. no USERNAME or no MESSAGE-INTEGRITY(-SHA256): 400 (RFC 8489 section 9.1.3);
    /// 3. USERNAME not "<our ufrag>:<their ufrag>" (their half checked once known) or integrity not made with
    ///    our password: 401, unsigned (RFC 8489 section 9.1.3);
    /// 4. unknown comprehension-required attributes: 420 with UNKNOWN-ATTRIBUTES (RFC 8489 section 6.3.1);
    /// 5. ICE-CONTROLLED: 487 Role Conflict (a lite agent is always controlled, RFC 8445 section 6.1.1, and cannot
    ///    switch roles as section 7.3.1.1 would have a full agent do);
    /// 6. otherwise success with XOR-MAPPED-ADDRESS = `source`. The address becomes validated, USE-CANDIDATE
    ///    selects it, and a check from the selected address renews consent.
    /// Answers other than 400 and 401 are signed like the request (same password, same algorithm); every
    /// answer carries FINGERPRINT.
    public mutating func handle(
        _ bytes: UnsafeRawBufferPointer, from source: SocketAddress, now: NIODeadline
    ) -> ICEOutcome {
        guard let request = STUNMessageView(bytes) else { return .drop(.notSTUN) }
        guard request.method == STUNMethod.binding else { return .drop(.unsupportedMethod) }
        switch request.messageClass {
        case .request:
            break
        case .indication:
            return .drop(.indication)
        case .successResponse, .errorResponse:
            return .drop(.response)
        }
        // RFC 8445 section 7: checks carry FINGERPRINT, which tells STUN from media on the shared port.
        guard request.hasFingerprint else { return .drop(.missingFingerprint) }
        guard request.verifyFingerprint(bytes) else { return .drop(.badFingerprint) }

        guard request.usernameRange != nil, request.hasMessageIntegrity || request.hasMessageIntegritySHA256 else {
            return .respond(Self.errorResponse(to: request, code: STUNErrorCode.badRequest, signature: nil))
        }
        guard let signature = authenticate(request, bytes) else {
            return .respond(Self.errorResponse(to: request, code: STUNErrorCode.unauthenticated, signature: nil))
        }
        // RFC 8489 section 6.3.1: checked once authentication has passed.
        if !request.unknownComprehensionRequired.isEmpty {
            return .respond(
                Self.errorResponse(
                    to: request, code: STUNErrorCode.unknownAttribute,
                    unknownAttributes: request.unknownComprehensionRequired, signature: signature))
        }
        if request.iceControlled != nil {
            return .respond(Self.errorResponse(to: request, code: STUNErrorCode.roleConflict, signature: signature))
        }

        checkSucceeded(from: source, nominated: request.useCandidate, current: signature.current, now: now)
        return .respond(Self.successResponse(to: request, mappedAddress: source, signature: signature))
    }

    /// How a request was signed, so that its answer is signed the same way.
    struct Signature {
        var key: [UInt8]
        var sha256: Bool
        /// Made with the current credentials rather than those before a restart.
        var current: Bool
    }

    /// RFC 8489 section 9.1.3 with the current credentials, then with those before a restart if still accepted.
    private func authenticate(_ request: STUNMessageView, _ bytes: UnsafeRawBufferPointer) -> Signature? {
        if let signature = Self.authenticate(request, bytes, local: local, remote: remote, current: true) {
            return signature
        }
        guard let previous else { return nil }
        return Self.authenticate(request, bytes, local: previous.local, remote: previous.remote, current: false)
    }

    private static func authenticate(
        _ request: STUNMessageView, _ bytes: UnsafeRawBufferPointer, local: ICECredentials,
        remote: ICECredentials?, current: Bool
    ) -> Signature? {
        guard let range = request.usernameRange,
            usernameMatches(bytes[range], local: local.ufrag, remote: remote?.ufrag)
        else { return nil }
        // RFC 8489 section 9.1.1: the short-term key is the password (ICE passwords are ice-chars, which
        // OpaqueString leaves as they are).
        let key = Array(local.password.utf8)
        // The stronger of the two when both are present.
        if request.hasMessageIntegritySHA256 {
            guard request.verifyMessageIntegritySHA256(bytes, key: key) else { return nil }
            return Signature(key: key, sha256: true, current: current)
        }
        guard request.verifyMessageIntegrity(bytes, key: key) else { return nil }
        return Signature(key: key, sha256: false, current: current)
    }

    /// RFC 8445 section 7.2.2: USERNAME is "<receiver's ufrag>:<sender's ufrag>"; compared byte for byte.
    private static func usernameMatches(
        _ username: Slice<UnsafeRawBufferPointer>, local: String, remote: String?
    ) -> Bool {
        guard let colon = username.firstIndex(of: UInt8(ascii: ":")),
            username[username.startIndex..<colon].elementsEqual(local.utf8)
        else { return false }
        guard let remote else { return true }
        return username[(colon + 1)..<username.endIndex].elementsEqual(remote.utf8)
    }

    /// RFC 8489 section 6.3.1.1, RFC 8445 section 7.3: a success response carries the request's source as
    /// XOR-MAPPED-ADDRESS.
    private static func successResponse(
        to request: STUNMessageView, mappedAddress: SocketAddress, signature: Signature
    ) -> [UInt8] {
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .successResponse, transactionID: request.transactionID)
        builder.appendXORMappedAddress(mappedAddress)
        sign(&builder, signature)
        builder.appendFingerprint()
        return builder.finish()
    }

    /// An error response; unsigned (no `signature`) for 400 and 401 (RFC 8489 section 9.1.3).
    private static func errorResponse(
        to request: STUNMessageView, code: Int, unknownAttributes: [UInt16] = [], signature: Signature?
    ) -> [UInt8] {
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .errorResponse, transactionID: request.transactionID)
        builder.appendErrorCode(code, reason: STUNErrorCode.reasonPhrase(for: code))
        if !unknownAttributes.isEmpty { builder.appendUnknownAttributes(unknownAttributes) }
        if let signature { sign(&builder, signature) }
        builder.appendFingerprint()
        return builder.finish()
    }

    private static func sign(_ builder: inout STUNMessageBuilder, _ signature: Signature) {
        if signature.sha256 {
            builder.appendMessageIntegritySHA256(key: signature.key)
        } else {
            builder.appendMessageIntegrity(key: signature.key)
        }
    }
}
