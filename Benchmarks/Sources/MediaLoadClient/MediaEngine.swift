import DTLSOpenSSL
import NIOCore
import NIOPosix

/// All calls' media on one event loop, with one repeated 20 ms task for every call (as Parley's
/// MediaTicker does): deadlines are absolute (previous + 20 ms), so the tick does not drift with the
/// work done in it, and the client wakes 50 times a second whatever the number of calls. Touched only on
/// `loop`; reached from other tasks through `NIOLoopBound`.
final class MediaEngine {
    static let period = TimeAmount.milliseconds(20)
    /// A tick this late counts as late.
    static let lateThreshold = TimeAmount.milliseconds(5)

    let loop: any EventLoop
    let certificate: DTLSCertificate
    let frames: ToneFrames
    let options: MediaLoadOptions
    private var calls: [Int: MediaCall] = [:]
    /// In set-up order, for the tick.
    private var order: [MediaCall] = []
    private var scheduled: Scheduled<Void>?
    private var sending = true
    private var stopped = false
    private var ticks = 0
    private var lateTicks = 0
    private var skippedTicks = 0
    private var maxTickDelay = TimeAmount.zero

    init(loop: any EventLoop, certificate: DTLSCertificate, frames: ToneFrames, options: MediaLoadOptions) {
        self.loop = loop
        self.certificate = certificate
        self.frames = frames
        self.options = options
    }

    // MARK: Calls

    /// Opens call `index`'s two UDP sockets on the media host; their ports go into the SDP.
    func prepareCall(index: Int) -> EventLoopFuture<LocalMediaPorts> {
        let call = MediaCall(index: index, certificate: certificate, frames: frames, verifyEvery: options.verifyEvery)
        calls[index] = call
        order.append(call)
        let bound = NIOLoopBound(call, eventLoop: loop)
        let web = Self.bind(host: options.mediaHost, loop: loop, call: bound, side: .web).map {
            channel -> any Channel in
            bound.value.webChannel = channel
            return channel
        }
        let device = Self.bind(host: options.mediaHost, loop: loop, call: bound, side: .device).map {
            channel -> any Channel in
            bound.value.deviceChannel = channel
            return channel
        }
        return web.and(device).flatMapThrowing { webChannel, deviceChannel in
            guard let webPort = webChannel.localAddress?.port, let devicePort = deviceChannel.localAddress?.port else {
                throw MediaLoadError("call \(index): media sockets have no local port")
            }
            return LocalMediaPorts(web: webPort, device: devicePort)
        }
    }

    private static func bind(
        host: String, loop: any EventLoop, call: NIOLoopBound<MediaCall>, side: MediaSide
    ) -> EventLoopFuture<any Channel> {
        DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(MediaSocketHandler(call: call.value, side: side))
                }
            }
            .bind(host: host, port: 0)
    }

    /// Starts call `index`'s ICE check, DTLS handshake and media; the future succeeds once SRTP is keyed.
    func startMedia(index: Int, plan: CallMediaPlan) -> EventLoopFuture<Void> {
        guard let call = calls[index] else {
            return loop.makeFailedFuture(MediaLoadError("call \(index) has no media sockets"))
        }
        let promise = loop.makePromise(of: Void.self)
        call.start(plan: plan, connected: promise, now: .now())
        startTicker()
        return promise.futureResult
    }

    /// Closes one call's sockets (its signalling failed).
    func discard(index: Int) -> EventLoopFuture<Void> {
        guard let call = calls.removeValue(forKey: index) else { return loop.makeSucceededVoidFuture() }
        order.removeAll { $0 === call }
        return call.close(on: loop)
    }

    /// From now on the calls send nothing; they still receive (what is in flight) and answer DTLS.
    func stopSending() {
        sending = false
    }

    /// The start of the measured window: the worst tick delay is counted from here.
    func markWindowStart() {
        maxTickDelay = .zero
    }

    /// Stops the tick and closes every call's sockets.
    func closeAll() -> EventLoopFuture<Void> {
        stopped = true
        scheduled?.cancel()
        scheduled = nil
        let closes = order.map { $0.close(on: loop) }
        calls = [:]
        order = []
        return EventLoopFuture.andAllComplete(closes, on: loop)
    }

    /// The counters of every call, summed.
    func totals() -> MediaTotals {
        var totals = MediaTotals()
        for call in order {
            totals.webToDevice = totals.webToDevice + call.webToDevice
            totals.deviceToWeb = totals.deviceToWeb + call.deviceToWeb
            if call.phase == .media { totals.callsInMedia += 1 }
            if call.failedDuringMedia {
                totals.mediaFailures += 1
                if totals.firstMediaFailure == nil {
                    totals.firstMediaFailure = "call \(call.index): \(call.failure ?? "?")"
                }
            }
            totals.srtpChecked += call.srtpChecked
            totals.srtpCheckFailures += call.srtpCheckFailures
            totals.consentChecksSent += call.consentChecksSent
            totals.consentChecksAnswered += call.consentChecksAnswered
        }
        totals.ticks = ticks
        totals.lateTicks = lateTicks
        totals.skippedTicks = skippedTicks
        totals.maxTickDelayMicroseconds = maxTickDelay.nanoseconds / 1_000
        return totals
    }

    // MARK: The tick

    private func startTicker() {
        guard scheduled == nil, !stopped else { return }
        schedule(after: .now())
    }

    private func schedule(after previous: NIODeadline) {
        let now = NIODeadline.now()
        var deadline = previous + Self.period
        if deadline < now {
            // After a stall, skip the missed ticks rather than bursting through them (Parley's ticker does
            // the same); counted, since a client that skips sends less than it should.
            skippedTicks += 1 + Int((now - deadline).nanoseconds / Self.period.nanoseconds)
            deadline = now + Self.period
        }
        let bound = NIOLoopBound(self, eventLoop: loop)
        scheduled = loop.scheduleTask(deadline: deadline) {
            bound.value.fire(at: deadline)
        }
    }

    private func fire(at deadline: NIODeadline) {
        let now = NIODeadline.now()
        let delay = now - deadline
        ticks += 1
        if delay > Self.lateThreshold { lateTicks += 1 }
        if delay > maxTickDelay { maxTickDelay = delay }
        for call in order { call.tick(now: now, sending: sending) }
        guard !stopped else {
            scheduled = nil
            return
        }
        schedule(after: deadline)
    }
}
