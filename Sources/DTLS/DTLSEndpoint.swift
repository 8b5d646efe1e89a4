import NIOCore

/// One DTLS association, sans-IO: datagrams and the current time go in, datagrams and events come out.
///
/// An endpoint has one owner (an event-loop-bound driver) and is not `Sendable`. The owner:
/// 1. calls `start(now:)` once (a client queues its ClientHello; a server waits for one);
/// 2. hands every DTLS datagram from the peer to `receive(_:now:)` (RFC 7983 section 7: first byte 20-63);
/// 3. calls `handleTimeout(now:)` once `nextDeadline` has passed;
/// 4. after each of these calls, sends every datagram `takeOutgoing()` returns, in order;
/// 5. acts on the `DTLSEvent` a call returns (SRTP keys on `.connected`).
public protocol DTLSEndpoint: AnyObject {
    /// Begins the handshake. A client queues its first flight; a server only waits.
    func start(now: NIODeadline)

    /// Feeds one datagram from the peer. Returns an event when this datagram finished, failed or closed the
    /// association. Datagrams that are not DTLS, or arrive after a failure or close, are dropped.
    func receive(_ datagram: UnsafeRawBufferPointer, now: NIODeadline) -> DTLSEvent?

    /// Runs the retransmission timer (RFC 6347 section 4.2.4): resends the last flight when it is due, and fails
    /// with `.timedOut` when the retries are spent.
    func handleTimeout(now: NIODeadline) -> DTLSEvent?

    /// When `handleTimeout(now:)` should next be called; nil when no timer runs.
    var nextDeadline: NIODeadline? { get }

    /// The datagrams to send to the peer, in order, and forgets them. Each holds whole DTLS records and stays
    /// within the endpoint's MTU (RFC 6347 section 4.1.1).
    func takeOutgoing() -> [[UInt8]]

    /// Whether the handshake completed and the association is neither failed nor closed.
    var isConnected: Bool { get }

    /// Closes the association: queues a close_notify when connected (RFC 5246 section 7.2.1) and stops the
    /// timer. Later datagrams are dropped.
    func close()
}
