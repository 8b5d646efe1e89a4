/// Why a presence document was refused.
public enum PIDFError: Error, Hashable, Sendable {
    /// More than `PIDFDocument.maxBytes` of UTF-8: refused before any parsing.
    case tooLarge
    /// Not well-formed XML, or XML Parley will not read (a DTD, nesting too deep, too many elements).
    /// The text says what, in one line without the document's content.
    case malformed(String)
    /// Well-formed XML whose root is not PIDF's `presence` (RFC 3863 section 4.1.1).
    case notPIDF
}
