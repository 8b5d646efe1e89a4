/// A signed-in browser as stored: secrets only as hashes (the cookie's SHA-256, the SIP key's digest HA1s).
public struct WebSessionRecord: Hashable, Sendable {
    public var id: String
    public var userName: String
    /// SHA-256 of the session cookie, lower-case hex.
    public var cookieHash: String
    public var ha1MD5: String
    public var ha1SHA256: String
    /// The address and User-Agent the session was signed in from; it is valid only from the same ones.
    public var clientHost: String
    public var userAgent: String
    public var createdAtMs: Int64
    public var expiresAtMs: Int64

    public init(
        id: String, userName: String, cookieHash: String, ha1MD5: String, ha1SHA256: String, clientHost: String,
        userAgent: String, createdAtMs: Int64, expiresAtMs: Int64
    ) {
        self.id = id
        self.userName = userName
        self.cookieHash = cookieHash
        self.ha1MD5 = ha1MD5
        self.ha1SHA256 = ha1SHA256
        self.clientHost = clientHost
        self.userAgent = userAgent
        self.createdAtMs = createdAtMs
        self.expiresAtMs = expiresAtMs
    }
}
