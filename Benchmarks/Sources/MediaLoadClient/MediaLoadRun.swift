import DTLSOpenSSL
import Foundation
import ICELite
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPCore

/// One run of the media load client: set the calls up at the ramp rate, hold media for the measured
/// window, report, hang up. SIP runs in tasks on the same one-thread event loop group as the media.
struct MediaLoadRun: Sendable {
    /// A call whose media is flowing.
    struct EstablishedCall: Sendable {
        var index: Int
        var caller: WebCaller
        var device: DeviceAnswerer
        var codec: WebCodecChoice
    }

    let options: MediaLoadOptions
    let group: MultiThreadedEventLoopGroup
    let engine: NIOLoopBound<MediaEngine>
    let certificate: DTLSCertificate

    /// Runs the whole benchmark and returns the exit status: 0 when every call was established and loss
    /// stayed under 1% both ways, 1 otherwise, 2 when the client could not start.
    static func main(options: MediaLoadOptions) async -> Int32 {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let status: Int32
        do {
            let certificate = try DTLSCertificate.generate(commonName: "parley-media-load")
            let frames = try ToneFrames()
            let loop = group.next()
            let engine = try await loop.submit {
                NIOLoopBound(
                    MediaEngine(loop: loop, certificate: certificate, frames: frames, options: options), eventLoop: loop
                )
            }.get()
            let run = MediaLoadRun(options: options, group: group, engine: engine, certificate: certificate)
            status = await run.execute()
        } catch {
            note("MediaLoadClient: \(error)")
            status = 2
        }
        try? await group.shutdownGracefully()
        return status
    }

    func execute() async -> Int32 {
        let clock = ContinuousClock()
        let established = NIOLockedValueBox<[EstablishedCall]>([])
        let failures = NIOLockedValueBox<[String]>([])

        // 1. Ramp: call i starts at i / rate seconds.
        let setupStart = clock.now
        await withTaskGroup(of: Void.self) { tasks in
            for call in 0..<options.calls {
                if options.setupRate > 0 {
                    try? await Task.sleep(
                        until: setupStart.advanced(by: .seconds(Double(call) / options.setupRate)), clock: clock)
                }
                tasks.addTask {
                    do {
                        let up = try await self.setUpCall(call)
                        established.withLockedValue { $0.append(up) }
                    } catch {
                        failures.withLockedValue { $0.append("call \(call): \(error)") }
                    }
                }
            }
        }
        let setupSeconds = Self.seconds(setupStart.duration(to: clock.now))
        let calls = established.withLockedValue { $0 }.sorted { $0.index < $1.index }
        let errors = failures.withLockedValue { $0 }
        if let first = errors.first { note("setup: \(errors.count) calls failed; first: \(first)") }

        // 2. The measured window: run.sh samples Parley's CPU time at these two markers.
        let engine = self.engine
        _ = try? await engine.eventLoop.submit { engine.value.markWindowStart() }.get()
        let windowStartTotals = await totals()
        let windowStart = clock.now
        note("media steady: \(calls.count) of \(options.calls) calls up in \(String(format: "%.1f", setupSeconds)) s")
        if !calls.isEmpty {
            try? await Task.sleep(for: .seconds(options.seconds))
        }
        let windowEndTotals = await totals()
        let mediaSeconds = Self.seconds(windowStart.duration(to: clock.now))
        _ = try? await engine.eventLoop.submit { engine.value.stopSending() }.get()
        note("media done: \(String(format: "%.1f", mediaSeconds)) s")

        // 3. Let what is in flight arrive (Parley's jitter buffer holds a few frames), then count.
        try? await Task.sleep(for: .milliseconds(options.drainMilliseconds))
        let final = await totals()
        let window = windowEndTotals - windowStartTotals
        var codecs: [String: Int] = [:]
        for call in calls { codecs[call.codec.rawValue, default: 0] += 1 }
        let allUp = calls.count == options.calls
        let lossOK = final.webToDevice.lossPercent < 1 && final.deviceToWeb.lossPercent < 1
        let report = LoadReport(
            callsRequested: options.calls, callsEstablished: calls.count, setupFailures: errors.count,
            firstError: errors.first, codecOffered: options.codec.rawValue, codecsAnswered: codecs,
            setupSeconds: LoadReport.rounded(setupSeconds), mediaSeconds: LoadReport.rounded(mediaSeconds),
            webToDevice: LoadReport.Direction(total: final.webToDevice, window: window.webToDevice),
            deviceToWeb: LoadReport.Direction(total: final.deviceToWeb, window: window.deviceToWeb),
            callsInMediaAtEnd: final.callsInMedia, mediaFailures: final.mediaFailures,
            firstMediaFailure: final.firstMediaFailure, srtpChecked: final.srtpChecked,
            srtpCheckFailures: final.srtpCheckFailures, consentChecksSent: final.consentChecksSent,
            consentChecksAnswered: final.consentChecksAnswered, clientTicks: window.ticks,
            clientLateTicks: window.lateTicks, clientSkippedTicks: window.skippedTicks,
            clientMaxTickDelayMs: LoadReport.rounded(Double(windowEndTotals.maxTickDelayMicroseconds) / 1000),
            ok: allUp && lossOK)
        FileHandle.standardOutput.write(Data((report.jsonLine() + "\n").utf8))

        // 4. Hang up from the web side, then close everything.
        let hungUp = await withTaskGroup(of: Bool.self) { tasks -> Int in
            for call in calls {
                tasks.addTask { await call.caller.hangUp(timeout: .seconds(5)) }
            }
            var count = 0
            for await success in tasks where success { count += 1 }
            return count
        }
        note("hung up: \(hungUp) of \(calls.count) calls answered BYE with 2xx")
        _ = try? await engine.eventLoop.flatSubmit { engine.value.closeAll() }.get()
        for call in calls {
            await call.caller.close()
            await call.device.close()
        }
        return report.ok ? 0 : 1
    }

    /// One call end to end: sockets, device registration, web registration, INVITE with the WebRTC offer,
    /// then the ICE check, DTLS handshake and the start of media. What was opened is closed on failure.
    private func setUpCall(_ call: Int) async throws -> EstablishedCall {
        let engine = self.engine
        let ports = try await engine.eventLoop.flatSubmit { engine.value.prepareCall(index: call) }.get()
        var device: DeviceAnswerer?
        var caller: WebCaller?
        do {
            let answerer = try await DeviceAnswerer.start(
                call: call, options: options, rtpPort: ports.device, group: group)
            device = answerer
            let web = try await WebCaller.connect(call: call, options: options, group: group)
            caller = web
            var generator = SystemRandomNumberGenerator()
            let ice = ICECredentials.random(using: &generator)
            let ssrc = UInt32.random(in: 1...UInt32.max, using: &generator)
            let offer = WebOffer.make(
                codec: options.codec, host: options.mediaHost, port: ports.web, ice: ice, certificate: certificate,
                ssrc: ssrc, cname: "media-load-\(call)")
            let ok = try await web.invite(offer: offer, timeout: .seconds(20))
            let answer = try WebOffer.parseAnswer(String(buffer: ok.body))
            let deviceSide = try await answerer.answered(timeout: .seconds(5))
            let plan = CallMediaPlan(
                parleyWeb: answer.parleyWeb, parleyDevice: deviceSide.parleyDevice, localICE: ice,
                parleyICE: answer.parleyICE, parleyFingerprint: answer.fingerprint, webCodec: answer.codec,
                webPayloadType: answer.payloadType, webSSRC: ssrc, devicePayloadType: deviceSide.payloadType)
            try await engine.eventLoop.flatSubmit { engine.value.startMedia(index: call, plan: plan) }.get()
            return EstablishedCall(index: call, caller: web, device: answerer, codec: answer.codec)
        } catch {
            if let caller {
                _ = await caller.hangUp(timeout: .seconds(2))
                await caller.close()
            }
            if let device { await device.close() }
            _ = try? await engine.eventLoop.flatSubmit { engine.value.discard(index: call) }.get()
            throw error
        }
    }

    private func totals() async -> MediaTotals {
        let engine = self.engine
        return (try? await engine.eventLoop.submit { engine.value.totals() }.get()) ?? MediaTotals()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// One line on stderr, unbuffered (run.sh waits for the markers).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
