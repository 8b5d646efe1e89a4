import Crypto
import SIPCore

/// Stateless digest nonces (RFC 7616 section 3.3: the nonce's content is up to the server; section 5.5
/// suggests a time stamp and a keyed hash). A nonce is the lower-case hex of
/// issue time (8 bytes, seconds since 1970, big-endian) | 8 random bytes | HMAC-SHA256(secret,
/// time | random | realm) truncated to 16 bytes. Checking one needs only the secret: no table, and a
/// nonce minted for another realm or with another secret is `.invalid`.
public struct NonceService {
    public enum Check: Hashable, Sendable {
        case valid(issuedAt: UnixTime)
        /// Ours, but older than the lifetime: rechallenge with stale=true (RFC 7616 section 3.3).
        case stale(issuedAt: UnixTime)
        /// Not made by us (forged, damaged, another realm or secret, or from the future).
        case invalid
    }

    public let realm: String
    public let lifetimeSeconds: Int
    /// How far in the future an issue time may be before the nonce is refused (clock steps).
    public let allowedClockSkewSeconds: Int
    private let key: SymmetricKey
    private var random: any RandomNumberGenerator

    static let timeLength = 8
    static let randomLength = 8
    static let macLength = 16
    static let byteLength = timeLength + randomLength + macLength

    public init(
        realm: String, secret: [UInt8], lifetimeSeconds: Int = 300, allowedClockSkewSeconds: Int = 60,
        random: any RandomNumberGenerator
    ) {
        self.realm = realm
        self.lifetimeSeconds = lifetimeSeconds
        self.allowedClockSkewSeconds = allowedClockSkewSeconds
        self.key = SymmetricKey(data: secret)
        self.random = random
    }

    /// A fresh nonce issued at `now`.
    public mutating func mint(now: UnixTime) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteLength)
        let seconds = UInt64(bitPattern: now.seconds)
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: seconds >> UInt64(shift)))
        }
        let randomValue = random.next()
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: randomValue >> UInt64(shift)))
        }
        bytes.append(contentsOf: mac(bytes))
        return LowercaseHex.encode(bytes)
    }

    /// Whether `nonce` is ours and still fresh at `now`.
    public func check(_ nonce: String, now: UnixTime) -> Check {
        guard let bytes = LowercaseHex.decode(nonce), bytes.count == Self.byteLength else { return .invalid }
        let signed = Array(bytes[0..<(Self.timeLength + Self.randomLength)])
        let sent = Array(bytes[(Self.timeLength + Self.randomLength)...])
        guard ConstantTime.equal(sent, mac(signed)) else { return .invalid }
        var seconds: UInt64 = 0
        for byte in bytes[0..<Self.timeLength] { seconds = seconds << 8 | UInt64(byte) }
        guard seconds <= UInt64(Int64.max / 1000) else { return .invalid }
        let issuedAt = UnixTime(seconds: Int64(seconds))
        if issuedAt > now + allowedClockSkewSeconds { return .invalid }
        if now.milliseconds - issuedAt.milliseconds > Int64(lifetimeSeconds) * 1000 {
            return .stale(issuedAt: issuedAt)
        }
        return .valid(issuedAt: issuedAt)
    }

    /// When a nonce issued at `issuedAt` stops being valid.
    public func expiry(ofNonceIssuedAt issuedAt: UnixTime) -> UnixTime {
        issuedAt + lifetimeSeconds
    }

    private func mac(_ signed: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: signed)
        hmac.update(data: Array(realm.utf8))
        return Array(Array(hmac.finalize()).prefix(Self.macLength))
    }
}
