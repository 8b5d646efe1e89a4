/// The part of a header value before its parameters, lower-cased and without spaces: the event package
/// of an Event (RFC 6665 section 8.2.1), the `type/subtype` of a Content-Type or an Accept entry (RFC 3261
/// section 20.1, 20.15). Parley compares these tokens case-insensitively, as the grammar says.
public enum HeaderValueEssence {
    public static func of(_ value: some StringProtocol) -> String {
        String(value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .lowercased().filter { $0 != " " && $0 != "\t" }
    }
}
