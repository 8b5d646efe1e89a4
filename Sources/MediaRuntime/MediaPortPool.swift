#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// The media port range (`--media-ports`, DESIGN.md default 20000-20999). Ports are handed out even
/// (RFC 3550 section 11: RTP on an even port) and bound at once, synchronously, so the port written
/// into SDP is already Parley's before the SDP leaves. Touched on one thread (the SIP loop).
public final class MediaPortPool {
    public let host: String
    public let range: ClosedRange<UInt16>
    private var inUse: Set<UInt16> = []
    private var cursor: UInt16

    public init(host: String, range: ClosedRange<UInt16>) {
        self.host = host
        self.range = range
        // A random start, so the ports of the next calls are not guessable from one SDP.
        let evenPorts = (Int(range.upperBound) - Int(range.lowerBound & ~1)) / 2 + 1
        cursor = (range.lowerBound & ~1) &+ UInt16(2 * Int.random(in: 0..<max(1, evenPorts)))
    }

    public var allocatedCount: Int { inUse.count }

    /// A bound, non-blocking UDP socket on a free even port of the range, or nil when none is left.
    public func allocate() -> (port: UInt16, descriptor: CInt)? {
        let evenPorts = (Int(range.upperBound) - Int(range.lowerBound & ~1)) / 2 + 1
        for _ in 0..<evenPorts {
            let port = cursor
            cursor = cursor &+ 2
            if cursor > range.upperBound || cursor < range.lowerBound { cursor = range.lowerBound & ~1 }
            guard port >= range.lowerBound, !inUse.contains(port) else { continue }
            if let descriptor = Self.bindUDP(host: host, port: port) {
                inUse.insert(port)
                return (port, descriptor)
            }
        }
        return nil
    }

    /// The port's socket was closed: it may be handed out again.
    public func release(_ port: UInt16) {
        inUse.remove(port)
    }

    static func bindUDP(host: String, port: UInt16) -> CInt? {
        guard let address = try? SocketAddress(ipAddress: host, port: Int(port)) else { return nil }
        let family = address.protocol.rawValue
        #if canImport(Glibc)
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let descriptor = socket(family, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        let bound = address.withSockAddr { pointer, size in bind(descriptor, pointer, socklen_t(size)) }
        let flags = fcntl(descriptor, F_GETFL, 0)
        guard bound == 0, flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    static func closeDescriptor(_ descriptor: CInt) -> CInt {
        close(descriptor)
    }
}
