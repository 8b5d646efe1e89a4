import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPCore
import SIPTestKit

/// A SIP-over-WebSocket load client (RFC 7118): many registered WebSocket clients exchanging MESSAGE,
/// written on NIO so that the client side is not what saturates first.
let options: LoadOptions
do {
    options = try LoadOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

func line(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let server = SIPPeerAddress(host: options.host, port: UInt16(options.port))
let clock = ContinuousClock()

// Phase 1: connect and register, `concurrency` at a time.
let registerLatency = LatencyRecorder()
let agents = NIOLockedValueBox<[Int: SIPTestAgent]>([:])
let failures = NIOLockedValueBox<[String]>([])
let registerStart = clock.now
await withTaskGroup(of: Void.self) { tasks in
    var next = 0
    func launch() {
        let number = next
        next += 1
        tasks.addTask {
            do {
                let agent = try await SIPTestAgent.webSocket(server: server, tls: options.tls, group: group)
                let started = clock.now
                let user = options.user(number)
                let username = options.authUsername(number)
                let response = try await agent.register(
                    aor: "sip:\(user)@\(options.domain)", username: username, password: options.password,
                    expires: options.expires, timeout: .seconds(30))
                guard response.status == .ok else {
                    throw LoadError("REGISTER \(user) as \(username): \(response.status.code)")
                }
                let elapsed = started.duration(to: clock.now)
                registerLatency.record(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
                agents.withLockedValue { $0[number] = agent }
            } catch {
                failures.withLockedValue { $0.append("\(error)") }
            }
        }
    }
    for _ in 0..<min(options.concurrency, options.clients) { launch() }
    while await tasks.next() != nil {
        if next < options.clients { launch() }
    }
}
let registerSeconds = Double(registerStart.duration(to: clock.now).components.attoseconds) / 1e18
    + Double(registerStart.duration(to: clock.now).components.seconds)
let registered = agents.withLockedValue { $0.count }
let failed = failures.withLockedValue { $0 }
line(String(format: "register: %d of %d clients registered in %.2f s (%.0f/s), p50 %.2f ms, p99 %.2f ms, %d failed",
    registered, options.clients, registerSeconds, Double(registered) / registerSeconds,
    registerLatency.percentile(50), registerLatency.percentile(99), failed.count))
if let first = failed.first { line("first failure: \(first)") }
line("READY")

if options.holdSeconds > 0 {
    try await Task.sleep(for: .seconds(options.holdSeconds))
}

// Phase 2: MESSAGE between random pairs at a fixed rate; receivers answer 200.
if options.messageRate > 0 && registered > 1 {
    let all = agents.withLockedValue { $0 }
    let numbers = all.keys.sorted()
    let sentAt = NIOLockedValueBox<[String: ContinuousClock.Instant]>([:])
    let messageLatency = LatencyRecorder()
    let delivered = NIOLockedValueBox<Int>(0)
    let errors = NIOLockedValueBox<Int>(0)
    for agent in all.values {
        agent.onMessage { message, agent in
            switch message {
            case .request(let request) where request.method == .message:
                delivered.withLockedValue { $0 += 1 }
                agent.reply(to: request, status: .ok)
            case .response(let response) where response.status.isFinal:
                guard let callID = (try? response.headers.callID)??.value,
                    let started = sentAt.withLockedValue({ $0.removeValue(forKey: callID) })
                else { return true }
                if response.status.isSuccess {
                    let elapsed = started.duration(to: clock.now)
                    messageLatency.record(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
                } else {
                    errors.withLockedValue { $0 += 1 }
                }
            default:
                break
            }
            return true
        }
    }
    let total = options.messageRate * options.messageSeconds
    let interval = Duration.nanoseconds(1_000_000_000 / options.messageRate)
    let phaseStart = clock.now
    var sent = 0
    while sent < total {
        // Catch up to the schedule in small bursts (sleeping per message would limit the rate).
        let due = min(total, Int(Double(phaseStart.duration(to: clock.now).components.seconds) * Double(options.messageRate)
            + Double(phaseStart.duration(to: clock.now).components.attoseconds) / 1e18 * Double(options.messageRate)) + 1)
        while sent < due {
            let from = numbers[sent % numbers.count]
            var to = numbers[Int.random(in: 0..<numbers.count)]
            if to == from { to = numbers[(numbers.firstIndex(of: from)! + 1) % numbers.count] }
            let agent = all[from]!
            let callID = agent.uniqueToken()
            sentAt.withLockedValue { $0[callID] = clock.now }
            agent.send(text: agent.makeRequest(
                .message, uri: "sip:\(options.user(to))@\(options.domain)", from: "sip:\(options.user(from))@\(options.domain)",
                fromTag: agent.uniqueToken(), to: "sip:\(options.user(to))@\(options.domain)", callID: callID, cseq: 1,
                body: "load \(sent)", contentType: "text/plain"))
            sent += 1
        }
        try await Task.sleep(for: interval * 20)
    }
    // Let the last answers arrive.
    let drainDeadline = clock.now.advanced(by: .seconds(5))
    while sentAt.withLockedValue({ !$0.isEmpty }) && clock.now < drainDeadline {
        try await Task.sleep(for: .milliseconds(50))
    }
    let seconds = Double(options.messageSeconds)
    let lost = sentAt.withLockedValue { $0.count }
    line(String(format: "message: %d sent in %.0f s (%.0f/s offered), %d answered 2xx, %d delivered, %d errors, %d unanswered, p50 %.2f ms, p99 %.2f ms",
        sent, seconds, Double(sent) / seconds, messageLatency.count, delivered.withLockedValue { $0 },
        errors.withLockedValue { $0 }, lost, messageLatency.percentile(50), messageLatency.percentile(99)))
}

// Phase 3: room fan-out. Each room message carries its send time (nanoseconds since the phase began);
// every member's arrival is one delivery.
if let room = options.room, options.roomRate > 0, registered > 1 {
    let all = agents.withLockedValue { $0 }
    let numbers = all.keys.sorted()
    let deliveryLatency = LatencyRecorder()
    let acked = NIOLockedValueBox<Int>(0)
    let refused = NIOLockedValueBox<Int>(0)
    // Each delivery is its own request (Call-ID): one seen twice is a duplicate, not a delivery.
    let seenCallIDs = NIOLockedValueBox<Set<String>>([])
    let duplicates = NIOLockedValueBox<Int>(0)
    let phaseStart = clock.now
    @Sendable func nanosSincePhaseStart() -> UInt64 {
        let elapsed = phaseStart.duration(to: ContinuousClock().now)
        return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
    }
    for agent in all.values {
        agent.onMessage { message, agent in
            switch message {
            case .request(let request) where request.method == .message:
                agent.reply(to: request, status: .ok)
                // Only what the room sends counts (not, say, private messages queued by an earlier run).
                guard (try? request.headers.from)??.uri.description == "sip:\(room)@\(options.domain)" else { return true }
                let callID = (try? request.headers.callID)??.value ?? ""
                guard seenCallIDs.withLockedValue({ $0.insert(callID).inserted }) else {
                    duplicates.withLockedValue { $0 += 1 }
                    return true
                }
                // "userNNNN: fanout <nanos>" (plain text from the room).
                if let stamp = String(buffer: request.body).split(separator: " ").last.flatMap({ UInt64($0) }) {
                    let now = nanosSincePhaseStart()
                    deliveryLatency.record(now > stamp ? now - stamp : 0)
                }
            case .response(let response) where response.status.isFinal:
                if response.status.isSuccess { acked.withLockedValue { $0 += 1 } } else { refused.withLockedValue { $0 += 1 } }
            default:
                break
            }
            return true
        }
    }
    let total = options.roomRate * options.messageSeconds
    let interval = Duration.nanoseconds(1_000_000_000 / options.roomRate)
    var sent = 0
    while sent < total {
        let due = min(total, Int(Double(nanosSincePhaseStart()) / 1e9 * Double(options.roomRate)) + 1)
        while sent < due {
            let from = numbers[Int.random(in: 0..<numbers.count)]
            let agent = all[from]!
            agent.send(text: agent.makeRequest(
                .message, uri: "sip:\(room)@\(options.domain)", from: "sip:\(options.user(from))@\(options.domain)",
                fromTag: agent.uniqueToken(), to: "sip:\(room)@\(options.domain)", callID: agent.uniqueToken(), cseq: 1,
                body: "fanout \(nanosSincePhaseStart())", contentType: "text/plain"))
            sent += 1
        }
        // Short sleeps: bursts would measure queueing behind the burst, not the fan-out.
        try await Task.sleep(for: min(interval, .milliseconds(2)))
    }
    let expected = total * (numbers.count - 1)
    let drainDeadline = clock.now.advanced(by: .seconds(10))
    while deliveryLatency.count < expected && clock.now < drainDeadline {
        try await Task.sleep(for: .milliseconds(50))
    }
    let seconds = Double(nanosSincePhaseStart()) / 1e9
    line(String(format: "room: %d messages to %d members, %d answered 2xx, %d refused; %d of %d deliveries in %.1f s (%.0f delivered/s), delivery p50 %.2f ms, p99 %.2f ms, %d duplicates",
        sent, numbers.count, acked.withLockedValue { $0 }, refused.withLockedValue { $0 }, deliveryLatency.count, expected,
        seconds, Double(deliveryLatency.count) / Double(options.messageSeconds), deliveryLatency.percentile(50),
        deliveryLatency.percentile(99), duplicates.withLockedValue { $0 }))
}

for agent in agents.withLockedValue({ Array($0.values) }) { await agent.close() }
try await group.shutdownGracefully()
