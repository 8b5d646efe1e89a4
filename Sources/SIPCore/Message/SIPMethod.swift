/// A request method (RFC 3261 section 7.1): case-sensitive, any token. Known methods are constants.
public struct SIPMethod: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public static let invite = SIPMethod("INVITE")
    public static let ack = SIPMethod("ACK")
    public static let bye = SIPMethod("BYE")
    public static let cancel = SIPMethod("CANCEL")
    public static let options = SIPMethod("OPTIONS")
    public static let register = SIPMethod("REGISTER")
    public static let prack = SIPMethod("PRACK")  // RFC 3262
    public static let subscribe = SIPMethod("SUBSCRIBE")  // RFC 6665
    public static let notify = SIPMethod("NOTIFY")  // RFC 6665
    public static let publish = SIPMethod("PUBLISH")  // RFC 3903
    public static let info = SIPMethod("INFO")  // RFC 6086
    public static let refer = SIPMethod("REFER")  // RFC 3515
    public static let message = SIPMethod("MESSAGE")  // RFC 3428
    public static let update = SIPMethod("UPDATE")  // RFC 3311

    /// The methods defined by RFC 3261 and the extensions above.
    public static let standard: [SIPMethod] = [
        .invite, .ack, .bye, .cancel, .options, .register, .prack, .subscribe, .notify, .publish, .info,
        .refer, .message, .update,
    ]

    public var isStandard: Bool { Self.standard.contains(self) }

    public var description: String { rawValue }

    /// The method named by `bytes`, reusing the constant's storage for the standard ones.
    static func from(_ bytes: UnsafeRawBufferPointer) -> SIPMethod {
        for method in standard where method.rawValue.utf8.elementsEqual(bytes) {
            return method
        }
        return SIPMethod(String(decoding: bytes, as: UTF8.self))
    }
}
