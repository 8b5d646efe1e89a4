/// STUN methods (RFC 8489 section 18.2). ICE uses Binding only (RFC 8445 section 7).
public enum STUNMethod {
    /// Binding, 0x001.
    public static let binding: UInt16 = 0x001
}
