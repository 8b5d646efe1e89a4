#if canImport(Glibc)
import CMediaIO
import Foundation
import Glibc
import MediaSession
import NIOConcurrencyHelpers
import NIOCore

/// One media thread (DESIGN.md: each call's session and sockets live on one loop, no per-packet hops):
/// its own epoll over the sessions' UDP sockets, and the 20 ms tick of every session on it. Packets go
/// from `recvfrom` into a reused buffer, through the session, and out with `sendto`, with no channel
/// pipeline, no buffer or envelope allocated per packet and no address string made per datagram.
///
/// Other threads hand it work with `execute` (a queue and an eventfd); everything else, the socket
/// table and the sessions included, is touched only on the loop's thread.
final class MediaIOLoop: @unchecked Sendable {
    static let period = TimeAmount.milliseconds(20)
    /// A late wake-up plays the frames of at most this many missed ticks, then gives up the rest.
    static let maximumCatchUp = 4
    static let receiveCapacity = 2048

    let name: String
    private let epoll: CInt
    private let wakeDescriptor: CInt
    private let lock = NIOLock()
    private var queued: [@Sendable () -> Void] = []
    /// The batch being run (loop thread only), kept for its capacity.
    private var running: [@Sendable () -> Void] = []
    private var stopping = false
    private var thread: Thread?
    /// Signalled when the thread has closed its sockets and ended.
    private let finished = DispatchSemaphore(value: 0)

    // Loop thread only.
    private var sockets: [CInt: (driver: MediaSessionDriver, side: MediaLegSide)] = [:]
    /// The sessions on this loop by the bridge's id.
    var sessions: [UInt64: MediaSessionDriver] = [:]
    private var ticking: [ObjectIdentifier: MediaSessionDriver] = [:]
    private var nextTick: NIODeadline?
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: receiveCapacity, alignment: 16)

    init(name: String) throws {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        self.name = name
        guard epoll >= 0, wakeDescriptor >= 0 else { throw MediaIOError("cannot create epoll or eventfd") }
        var event = epoll_event()
        parley_epoll_event_set(&event, EPOLLIN.rawValue, wakeDescriptor)
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, wakeDescriptor, &event) == 0 else {
            throw MediaIOError("cannot watch the eventfd")
        }
    }

    deinit {
        receiveBuffer.deallocate()
        close(wakeDescriptor)
        close(epoll)
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = name
        self.thread = thread
        thread.start()
    }

    /// Runs `task` on the loop's thread, after the tasks queued before it.
    func execute(_ task: @escaping @Sendable () -> Void) {
        lock.withLock { queued.append(task) }
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    /// Asks the thread to end after the queued tasks; sockets still open are closed.
    func stop() {
        lock.withLock { stopping = true }
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    /// Waits (bounded) until the thread has ended.
    func waitUntilStopped(timeout: DispatchTimeInterval = .seconds(2)) {
        _ = finished.wait(timeout: .now() + timeout)
    }

    // MARK: Loop thread

    /// Watches a session's socket; its datagrams go to `driver`.
    func watch(_ descriptor: CInt, driver: MediaSessionDriver, side: MediaLegSide) -> Bool {
        var event = epoll_event()
        parley_epoll_event_set(&event, EPOLLIN.rawValue, descriptor)
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else { return false }
        sockets[descriptor] = (driver, side)
        return true
    }

    /// Stops watching and closes a socket.
    func closeSocket(_ descriptor: CInt) {
        if sockets.removeValue(forKey: descriptor) != nil {
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
        }
        close(descriptor)
    }

    func startTicking(_ driver: MediaSessionDriver) {
        ticking[ObjectIdentifier(driver)] = driver
        if nextTick == nil { nextTick = .now() + Self.period }
    }

    func stopTicking(_ driver: MediaSessionDriver) {
        ticking[ObjectIdentifier(driver)] = nil
        if ticking.isEmpty { nextTick = nil }
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 128)
        while true {
            var timeout: Int32 = -1
            if let nextTick {
                let remaining = nextTick.uptimeNanoseconds.subtractingReportingOverflow(NIODeadline.now().uptimeNanoseconds)
                timeout = remaining.overflow ? 0 : Int32(min(remaining.partialValue / 1_000_000 + 1, 1000))
            }
            let ready = events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, Int32($0.count), timeout) }
            if ready > 0 {
                for index in 0..<Int(ready) {
                    let descriptor = parley_epoll_event_fd(&events[index])
                    if descriptor == wakeDescriptor {
                        if drainQueue() { return shutdown() }
                    } else {
                        readAll(descriptor)
                    }
                }
            }
            tickIfDue()
        }
    }

    /// Runs the queued tasks; true when the loop is asked to stop.
    private func drainQueue() -> Bool {
        var count: UInt64 = 0
        _ = read(wakeDescriptor, &count, 8)
        // Swap the queue with the drained one, so neither side allocates in the steady state.
        let stop = lock.withLock { () -> Bool in
            swap(&queued, &running)
            return stopping
        }
        for task in running { task() }
        running.removeAll(keepingCapacity: true)
        return stop
    }

    private func readAll(_ descriptor: CInt) {
        guard let (driver, side) = sockets[descriptor] else { return }
        var storage = sockaddr_storage()
        // A bounded batch per wake-up, so one busy socket cannot starve the others or the tick.
        for _ in 0..<32 {
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let received = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, receiveBuffer.baseAddress, receiveBuffer.count, Int32(MSG_DONTWAIT), $0, &length)
                }
            }
            guard received > 0, let source = Self.address(storage) else { return }
            driver.receive(receiveBuffer, length: received, from: source, on: side)
            if sockets[descriptor] == nil { return }  // the session ended while handling it
        }
    }

    private func tickIfDue() {
        guard var due = nextTick else { return }
        let now = NIODeadline.now()
        guard due <= now else { return }
        var turns = 0
        while turns < Self.maximumCatchUp {
            let ntp = NTPTime.now()
            for driver in ticking.values { driver.tick(now: now, ntpTimestamp: ntp) }
            turns += 1
            guard due + Self.period <= now else { break }
            due = due + Self.period
        }
        guard !ticking.isEmpty else {
            nextTick = nil
            return
        }
        nextTick = due + Self.period <= now ? now + Self.period : due + Self.period
    }

    private func shutdown() {
        for descriptor in Array(sockets.keys) { closeSocket(descriptor) }
        sessions.removeAll()
        ticking.removeAll()
        finished.signal()
    }

    /// The peer's address without the text form NIO would make for every datagram (equality and
    /// sending use the bytes only).
    static func address(_ storage: sockaddr_storage) -> SocketAddress? {
        var copy = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
            }
        case AF_INET6:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
            }
        default:
            return nil
        }
    }
}

struct MediaIOError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
#endif
