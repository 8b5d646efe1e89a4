import NIOCore
import SIPCore

/// A stored private message on its way to the recipient's devices while its sender waits: the sender gets
/// 200 at the first device's 2xx, or 202 (stored, RFC 3428 section 7) when every device failed or the
/// deadline passed. The message stays queued until a device accepts it.
struct PrivateDelivery {
    /// The sender's request, to answer.
    var request: SIPRequest
    var messageID: Int64
    var recipient: String
    /// Deliveries still without a final outcome.
    var outstanding: Int
    var deadline: NIODeadline
}
