/// A SIP response status code (RFC 3261 section 21) with the reason phrase Parley sends by default.
public struct SIPStatus: Hashable, Sendable, CustomStringConvertible {
    public let code: Int

    public init(_ code: Int) {
        self.code = code
    }

    public static let trying = SIPStatus(100)
    public static let ringing = SIPStatus(180)
    public static let ok = SIPStatus(200)
    public static let badRequest = SIPStatus(400)
    public static let unauthorized = SIPStatus(401)
    public static let forbidden = SIPStatus(403)
    public static let notFound = SIPStatus(404)
    public static let methodNotAllowed = SIPStatus(405)
    public static let proxyAuthenticationRequired = SIPStatus(407)
    public static let requestEntityTooLarge = SIPStatus(413)
    public static let requestURITooLong = SIPStatus(414)
    public static let unsupportedMediaType = SIPStatus(415)
    public static let unsupportedURIScheme = SIPStatus(416)
    public static let badExtension = SIPStatus(420)
    public static let intervalTooBrief = SIPStatus(423)
    public static let flowFailed = SIPStatus(430)
    public static let temporarilyUnavailable = SIPStatus(480)
    public static let callDoesNotExist = SIPStatus(481)
    public static let loopDetected = SIPStatus(482)
    public static let tooManyHops = SIPStatus(483)
    public static let busyHere = SIPStatus(486)
    public static let serverInternalError = SIPStatus(500)
    public static let notImplemented = SIPStatus(501)
    public static let versionNotSupported = SIPStatus(505)
    public static let messageTooLarge = SIPStatus(513)

    public var isProvisional: Bool { code >= 100 && code < 200 }
    public var isSuccess: Bool { code >= 200 && code < 300 }
    public var isFinal: Bool { code >= 200 }

    /// The default reason phrase of RFC 3261 section 21 (and the RFCs that added codes).
    public var defaultReasonPhrase: String {
        switch code {
        case 100: return "Trying"
        case 180: return "Ringing"
        case 181: return "Call Is Being Forwarded"
        case 182: return "Queued"
        case 183: return "Session Progress"
        case 200: return "OK"
        case 202: return "Accepted"
        case 204: return "No Notification"
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Moved Temporarily"
        case 305: return "Use Proxy"
        case 380: return "Alternative Service"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 407: return "Proxy Authentication Required"
        case 408: return "Request Timeout"
        case 410: return "Gone"
        case 413: return "Request Entity Too Large"
        case 414: return "Request-URI Too Long"
        case 415: return "Unsupported Media Type"
        case 416: return "Unsupported URI Scheme"
        case 420: return "Bad Extension"
        case 421: return "Extension Required"
        case 423: return "Interval Too Brief"
        case 430: return "Flow Failed"
        case 439: return "First Hop Lacks Outbound Support"
        case 480: return "Temporarily Unavailable"
        case 481: return "Call/Transaction Does Not Exist"
        case 482: return "Loop Detected"
        case 483: return "Too Many Hops"
        case 484: return "Address Incomplete"
        case 485: return "Ambiguous"
        case 486: return "Busy Here"
        case 487: return "Request Terminated"
        case 488: return "Not Acceptable Here"
        case 489: return "Bad Event"
        case 491: return "Request Pending"
        case 493: return "Undecipherable"
        case 500: return "Server Internal Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Server Time-out"
        case 505: return "Version Not Supported"
        case 513: return "Message Too Large"
        case 600: return "Busy Everywhere"
        case 603: return "Decline"
        case 604: return "Does Not Exist Anywhere"
        case 606: return "Not Acceptable"
        default: return "Unknown"
        }
    }

    public var description: String { "\(code) \(defaultReasonPhrase)" }
}
