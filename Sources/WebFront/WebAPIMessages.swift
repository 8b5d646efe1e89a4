/// The JSON bodies of the web API (WebClient/README.md describes them for the client).
struct SignInRequest: Decodable {
    var user: String
    var password: String
}

struct SIPCredentialsBody: Encodable {
    var authUsername: String
    var password: String
    var realm: String
    var webSocketURL: String
}

struct SessionBody: Encodable {
    var user: String
    var displayName: String?
    var aor: String
    var domain: String
    /// Milliseconds since 1970.
    var expiresAt: Int64
    /// Only in the answers that issue a key (sign-in and key rotation).
    var sip: SIPCredentialsBody?
}

struct ErrorBody: Encodable {
    var error: String
}
