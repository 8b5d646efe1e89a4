/// The header table (DESIGN.md convention 2): every header Parley knows, declared once with its full
/// name, compact form (RFC 3261 section 7.3.3 and later RFCs) and multiplicity.
public enum KnownHeader: Int, CaseIterable, Hashable, Sendable {
    case accept, acceptContact, acceptEncoding, acceptLanguage, alertInfo, allow, allowEvents
    case authenticationInfo, authorization, callID, callInfo, contact, contentDisposition
    case contentEncoding, contentLanguage, contentLength, contentType, cseq, date, errorInfo, event
    case expires, flowTimer, from, identity, inReplyTo, maxForwards, minExpires, minSE, mimeVersion
    case organization, path, priority, privacy, proxyAuthenticate, proxyAuthorization, proxyRequire
    case rack, reason, recordRoute, referTo, referredBy, rejectContact, replaces, replyTo
    case requestDisposition, require, retryAfter, route, rseq, server, serviceRoute, sessionExpires
    case sipETag, sipIfMatch, subject, subscriptionState, supported, timestamp, to, unsupported
    case userAgent, via, warning, wwwAuthenticate

    /// How often a header may appear and whether its values are comma lists.
    public enum Multiplicity: Hashable, Sendable {
        /// At most one value (RFC 3261 section 7.3: Call-ID, CSeq, From, To, Max-Forwards...).
        case single
        /// `#(value)`: comma-separated, and may be repeated (RFC 3261 section 7.3.1).
        case list
        /// May be repeated but not comma-combined, since values hold commas (the auth headers).
        case repeatedNotCombined
    }

    public struct Definition: Sendable {
        public let name: StaticString
        public let compactForm: UInt8?
        public let multiplicity: Multiplicity
    }

    public var definition: Definition { Self.table[rawValue] }

    public var name: String { definition.name.description }

    public var multiplicity: Multiplicity { definition.multiplicity }

    private static func entry(
        _ name: StaticString, _ multiplicity: Multiplicity, _ compact: Character? = nil
    ) -> Definition {
        Definition(name: name, compactForm: compact.map { $0.asciiValue! }, multiplicity: multiplicity)
    }

    /// In the order of the cases above.
    static let table: [Definition] = [
        entry("Accept", .list),
        entry("Accept-Contact", .list, "a"),  // RFC 3841
        entry("Accept-Encoding", .list),
        entry("Accept-Language", .list),
        entry("Alert-Info", .list),
        entry("Allow", .list),
        entry("Allow-Events", .list, "u"),  // RFC 6665
        entry("Authentication-Info", .single),
        entry("Authorization", .repeatedNotCombined),
        entry("Call-ID", .single, "i"),
        entry("Call-Info", .list),
        entry("Contact", .list, "m"),
        entry("Content-Disposition", .single),
        entry("Content-Encoding", .list, "e"),
        entry("Content-Language", .list),
        entry("Content-Length", .single, "l"),
        entry("Content-Type", .single, "c"),
        entry("CSeq", .single),
        entry("Date", .single),
        entry("Error-Info", .list),
        entry("Event", .single, "o"),  // RFC 6665
        entry("Expires", .single),
        entry("Flow-Timer", .single),  // RFC 5626
        entry("From", .single, "f"),
        entry("Identity", .single, "y"),  // RFC 8224
        entry("In-Reply-To", .list),
        entry("Max-Forwards", .single),
        entry("Min-Expires", .single),
        entry("Min-SE", .single),  // RFC 4028
        entry("MIME-Version", .single),
        entry("Organization", .single),
        entry("Path", .list),  // RFC 3327
        entry("Priority", .single),
        entry("Privacy", .list),  // RFC 3323
        entry("Proxy-Authenticate", .repeatedNotCombined),
        entry("Proxy-Authorization", .repeatedNotCombined),
        entry("Proxy-Require", .list),
        entry("RAck", .single),  // RFC 3262
        entry("Reason", .list),  // RFC 3326
        entry("Record-Route", .list),
        entry("Refer-To", .single, "r"),  // RFC 3515
        entry("Referred-By", .single, "b"),  // RFC 3892
        entry("Reject-Contact", .list, "j"),  // RFC 3841
        entry("Replaces", .single),  // RFC 3891
        entry("Reply-To", .single),
        entry("Request-Disposition", .list, "d"),  // RFC 3841
        entry("Require", .list),
        entry("Retry-After", .single),
        entry("Route", .list),
        entry("RSeq", .single),  // RFC 3262
        entry("Server", .single),
        entry("Service-Route", .list),  // RFC 3608
        entry("Session-Expires", .single, "x"),  // RFC 4028
        entry("SIP-ETag", .single),  // RFC 3903
        entry("SIP-If-Match", .single),  // RFC 3903
        entry("Subject", .single, "s"),
        entry("Subscription-State", .single),  // RFC 6665
        entry("Supported", .list, "k"),
        entry("Timestamp", .single),
        entry("To", .single, "t"),
        entry("Unsupported", .list),
        entry("User-Agent", .single),
        entry("Via", .list, "v"),
        entry("Warning", .list),
        entry("WWW-Authenticate", .repeatedNotCombined),
    ]

    /// Looks a received header name up, case-insensitively, by full or compact form, without allocating.
    /// Returns the header and whether the compact form was used.
    static func lookup(_ name: UnsafeRawBufferPointer) -> (KnownHeader, isCompact: Bool)? {
        if name.count == 1 {
            let letter = SIPCharacterClass.lowercased(name[0])
            guard let header = compactIndex[Int(letter)] else { return nil }
            return (header, true)
        }
        guard name.count < byLength.count else { return nil }
        for header in byLength[name.count] where equalsIgnoringCase(name, header.definition.name) {
            return (header, false)
        }
        return nil
    }

    private static let byLength: [[KnownHeader]] = {
        var buckets = [[KnownHeader]](repeating: [], count: 24)
        for header in allCases {
            buckets[header.definition.name.utf8CodeUnitCount].append(header)
        }
        return buckets
    }()

    private static let compactIndex: [KnownHeader?] = {
        var index = [KnownHeader?](repeating: nil, count: 256)
        for header in allCases {
            if let compact = header.definition.compactForm { index[Int(compact)] = header }
        }
        return index
    }()

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let nameBytes = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for index in 0..<bytes.count
        where SIPCharacterClass.lowercased(bytes[index]) != SIPCharacterClass.lowercased(nameBytes[index]) {
            return false
        }
        return true
    }
}
