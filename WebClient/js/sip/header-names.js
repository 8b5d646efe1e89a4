// Header names: canonical spelling, compact forms (RFC 3261 §7.3.3, §20) and which headers hold comma lists.

const CANONICAL_NAMES = [
    "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events",
    "Authentication-Info", "Authorization", "Call-ID", "Call-Info", "Contact", "Content-Disposition",
    "Content-Encoding", "Content-Language", "Content-Length", "Content-Type", "CSeq", "Date", "Error-Info",
    "Event", "Expires", "From", "Identity", "In-Reply-To", "Max-Forwards", "Min-Expires", "Min-SE",
    "MIME-Version", "Organization", "Path", "Priority", "Proxy-Authenticate", "Proxy-Authorization",
    "Proxy-Require", "Reason", "Record-Route", "Refer-To", "Referred-By", "Reject-Contact", "Reply-To",
    "Request-Disposition", "Require", "Retry-After", "Route", "Server", "Session-Expires", "Subject",
    "Subscription-State", "Supported", "Timestamp", "To", "Unsupported", "User-Agent", "Via", "Warning",
    "WWW-Authenticate",
];

const CANONICAL_BY_LOWERCASE = new Map(CANONICAL_NAMES.map((name) => [name.toLowerCase(), name]));

// RFC 3261 §7.3.3 and the extensions that define one (RFC 3265 o/u, RFC 3515 r, RFC 3892 b, RFC 3841 a/j/d,
// RFC 4028 x, RFC 8224 y).
const COMPACT_FORMS = new Map([
    ["a", "Accept-Contact"], ["b", "Referred-By"], ["c", "Content-Type"], ["d", "Request-Disposition"],
    ["e", "Content-Encoding"], ["f", "From"], ["i", "Call-ID"], ["j", "Reject-Contact"], ["k", "Supported"],
    ["l", "Content-Length"], ["m", "Contact"], ["o", "Event"], ["r", "Refer-To"], ["s", "Subject"],
    ["t", "To"], ["u", "Allow-Events"], ["v", "Via"], ["x", "Session-Expires"], ["y", "Identity"],
]);

/** Headers whose comma-separated values are split into one value each (RFC 3261 §7.3.1). */
export const LIST_HEADERS = new Set(["Via", "Contact", "Route", "Record-Route", "Path"]);

/**
 * The canonical spelling of a header name, expanding compact forms; unknown names are returned as written.
 * @param {string} name
 * @returns {string}
 */
export function canonicalHeaderName(name) {
    const trimmed = name.trim();
    const lowercase = trimmed.toLowerCase();
    if (trimmed.length === 1 && COMPACT_FORMS.has(lowercase)) return COMPACT_FORMS.get(lowercase);
    return CANONICAL_BY_LOWERCASE.get(lowercase) ?? trimmed;
}
