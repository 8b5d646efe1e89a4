import Crypto
import SIPCore

/// A flow token (RFC 5626 section 5.2): the user part of a Record-Route URI that names the flow a later
/// in-dialog request must leave on. It carries the flow and peer address, and an HMAC over them and the
/// dialog's Call-ID, so that nobody can steer Parley's requests onto another user's connection, and a
/// Route carrying a valid token proves the request belongs to a dialog Parley record-routed.
public struct FlowToken: Sendable {
    private let key: SymmetricKey

    public init(secret: [UInt8]) {
        key = SymmetricKey(data: secret)
    }

    /// `<flow>.<transport>.<hex address>.<port>.<mac>`: all characters legal in a URI user part.
    public func encode(_ source: SIPSource, callID: CallID) -> String {
        let body = "\(source.flow.rawValue).\(source.transport.rawValue).\(LowercaseHex.encode(source.remote.host.utf8)).\(source.remote.port)"
        return body + "." + mac(body + "|" + callID.value)
    }

    /// The flow named by a token made for this Call-ID; nil for anything else.
    public func decode(_ token: String, callID: CallID) -> SIPSource? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5 else { return nil }
        let body = parts[0..<4].joined(separator: ".")
        guard ConstantTime.equal(mac(body + "|" + callID.value).utf8, parts[4].utf8),
            let flow = UInt64(parts[0]),
            let transport = SIPTransportKind(rawValue: String(parts[1])),
            let hostBytes = LowercaseHex.decode(parts[2]),
            let port = UInt16(parts[3])
        else { return nil }
        let host = String(decoding: hostBytes, as: UTF8.self)
        return SIPSource(transport: transport, remote: SIPPeerAddress(host: host, port: port), flow: FlowID(flow))
    }

    /// A short MAC of any text under the same key (branch parameters use it too).
    public func mac(_ body: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: key)
        return LowercaseHex.encode(code.prefix(10))
    }
}
