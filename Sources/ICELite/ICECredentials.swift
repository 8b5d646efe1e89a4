/// An ICE username fragment and password (RFC 8445 section 5.3), as SDP carries them (RFC 8839 section 5.4):
/// ```
/// ice-pwd-att   = "ice-pwd:" password
/// ice-ufrag-att = "ice-ufrag:" ufrag
/// password      = 22*256ice-char
/// ufrag         = 4*256ice-char
/// ice-char      = ALPHA / DIGIT / "+" / "/"
/// ```
public struct ICECredentials: Sendable, Hashable {
    public var ufrag: String
    public var password: String

    public init(ufrag: String, password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// Length of a generated ufrag: 8 ice-chars, 48 random bits (RFC 8445 section 5.3 asks for at least 24).
    public static let generatedUfragLength = 8
    /// Length of a generated password: 24 ice-chars, 144 random bits (RFC 8445 section 5.3 asks for at least
    /// 128).
    public static let generatedPasswordLength = 24

    /// Fresh credentials from `generator` (use a cryptographically secure one outside tests).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ICECredentials {
        ICECredentials(
            ufrag: randomICEChars(count: generatedUfragLength, using: &generator),
            password: randomICEChars(count: generatedPasswordLength, using: &generator))
    }

    /// Both values match the RFC 8839 section 5.4 grammar.
    public var isValid: Bool {
        Self.isICEChars(ufrag, length: 4...256) && Self.isICEChars(password, length: 22...256)
    }

    /// The 64 ice-chars: 6 random bits pick one, with no bias.
    private static let iceChars: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static func randomICEChars<G: RandomNumberGenerator>(count: Int, using generator: inout G) -> String {
        var characters: [UInt8] = []
        characters.reserveCapacity(count)
        var bits: UInt64 = 0
        var available = 0
        while characters.count < count {
            if available < 6 {
                bits = generator.next()
                available = 64
            }
            characters.append(iceChars[Int(bits & 63)])
            bits >>= 6
            available -= 6
        }
        return String(decoding: characters, as: UTF8.self)
    }

    private static func isICEChars(_ text: String, length: ClosedRange<Int>) -> Bool {
        length.contains(text.utf8.count) && text.utf8.allSatisfy { iceChars.contains($0) }
    }
}
