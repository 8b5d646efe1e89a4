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
        let body = "\(source.flow.rawValue).\(source.transport.rawValue).\(Self.hex(Array(source.remote.host.utf8))).\(source.remote.port)"
        return body + "." + mac(body + "|" + callID.value)
    }

    /// The flow named by a token made for this Call-ID; nil for anything else.
    public func decode(_ token: String, callID: CallID) -> SIPSource? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5 else { return nil }
        let body = parts[0..<4].joined(separator: ".")
        guard Self.constantTimeEqual(mac(body + "|" + callID.value), String(parts[4])),
            let flow = UInt64(parts[0]),
            let transport = SIPTransportKind(rawValue: String(parts[1])),
            let hostBytes = Self.unhex(parts[2]),
            let port = UInt16(parts[3])
        else { return nil }
        let host = String(decoding: hostBytes, as: UTF8.self)
        return SIPSource(transport: transport, remote: SIPPeerAddress(host: host, port: port), flow: FlowID(flow))
    }

    /// A short MAC of any text under the same key (branch parameters use it too).
    public func mac(_ body: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: key)
        return Self.hex(Array(code.prefix(10)))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
