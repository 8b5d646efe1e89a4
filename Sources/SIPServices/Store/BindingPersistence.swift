/// Where the registrar's persistent bindings (UDP, TCP, TLS) are written so that they survive a
/// restart. Implementations batch and write off the SIP event loop; calls must not block.
public protocol BindingPersistence: AnyObject, Sendable {
    /// Added or refreshed bindings.
    func saved(_ bindings: [Binding])
    /// Removed or expired bindings.
    func removed(_ bindings: [Binding])
}
