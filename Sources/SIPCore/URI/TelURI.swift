/// A tel URI (RFC 3966): a global (`+` E.164) or local number with parameters.
public struct TelURI: Hashable, Sendable, CustomStringConvertible {
    /// The number as written, visual separators included.
    public var number: String
    public var parameters: [GenericParameter]

    public init(number: String, parameters: [GenericParameter] = []) {
        self.number = number
        self.parameters = parameters
    }

    public var isGlobal: Bool { number.hasPrefix("+") }

    /// The digits without visual separators (RFC 3966 section 5.1.1), as compared by RFC 3966 section 4.
    public var digits: String {
        String(number.unicodeScalars.filter { !"-.()".unicodeScalars.contains($0) })
    }

    public var description: String { "tel:" + number + parameters.serialized }

    /// telephone-subscriber = global-number / local-number, then *( ";" par ).
    static func read(from scanner: inout ByteScanner) throws(SIPParseError) -> TelURI {
        let bad = SIPParseError(.malformedURI, detail: "bad tel URI")
        let number = scanner.read {
            SIPCharacterClass.isHexDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")")
                || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "#")
        }
        guard !number.isEmpty else { throw bad }
        var parameters: [GenericParameter] = []
        while scanner.consume(UInt8(ascii: ";")) {
            let name = scanner.read(while: SIPCharacterClass.isParamChar)
            guard !name.isEmpty else { throw bad }
            var value: String?
            if scanner.consume(UInt8(ascii: "=")) {
                let valueRange = scanner.read(while: SIPCharacterClass.isParamChar)
                guard !valueRange.isEmpty else { throw bad }
                value = scanner.string(valueRange)
            }
            parameters.append(GenericParameter(name: scanner.string(name), value: value))
        }
        guard scanner.isAtEnd else { throw bad }
        return TelURI(number: scanner.string(number), parameters: parameters)
    }
}
