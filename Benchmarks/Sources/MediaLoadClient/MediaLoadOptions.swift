/// What the web side offers: Opus (and PCMU), so that Parley transcodes to the device's PCMU under
/// `--media-codec-policy transcode`; or PCMU alone, so that Parley relays under `pass-through`.
enum WebCodecChoice: String, Sendable {
    case opus
    case pcmu
}

/// Command-line options of the media load client.
struct MediaLoadOptions: Sendable {
    /// Parley's HTTPS/WSS listener (the SIP WebSocket at /sip).
    var wss = SIPHostPort(host: "127.0.0.1", port: 8443)
    /// Parley's SIP UDP listener.
    var udp = SIPHostPort(host: "127.0.0.1", port: 5060)
    var domain = "localhost"
    var calls = 10
    /// Seconds of media once every call is up (the measured window).
    var seconds = 30
    /// New calls per second while ramping up; 0 starts them all at once.
    var setupRate = 20.0
    var codec = WebCodecChoice.opus
    /// Put before the `w`/`d` of every user name (run.sh provisions with none).
    var userPrefix = ""
    var password = "secret"
    /// Digits of the call number in user names: w0000, d0000 for 4.
    var userDigits = 4
    var firstUser = 0
    /// The device account of user dNNNN is dNNNN + this suffix.
    var deviceSuffix = "-phone"
    /// The web caller wNNNN authenticates as wNNNN + this suffix (run.sh: "-ws", a device account, since a
    /// web account signs in only over HTTPS); empty: as wNNNN itself.
    var webAuthSuffix = ""
    /// Time to let the last packets arrive after sending stops, before counting.
    var drainMilliseconds = 500
    /// Every this many SRTP packets from Parley, one is decrypted as a check (0: none).
    var verifyEvery = 50
    /// The address the client's media sockets bind to and write into SDP.
    var mediaHost = "127.0.0.1"

    static let usage = """
        MediaLoadClient --wss HOST:PORT --udp HOST:PORT [--domain D] [--calls N] [--seconds S] [--setup-rate R]
                        [--codec opus|pcmu] [--user-prefix P] [--password S] [--user-digits N] [--first-user N]
                        [--device-suffix S] [--web-auth-suffix S] [--drain-ms MS] [--verify-every N]
        Sets up N bidirectional calls through Parley's media bridge on loopback: per call a device registers
        over UDP as dNNNN (account dNNNN-phone) and answers with plain PCMU; a web user wNNNN registers over
        WSS (auth username wNNNN + the --web-auth-suffix, e.g. -ws for a device account; default wNNNN) and
        calls it with a WebRTC offer (ICE, DTLS-SRTP; Opus+PCMU, or PCMU only with --codec pcmu).
        Each call then sends one packet every 20 ms each way for S seconds once all calls are up. Prints
        "media steady" and "media done" on stderr around the measured window, then one JSON line on stdout.
        Exit status 0 only when every call was established and loss stayed under 1% both ways.
        """

    static func parse(_ arguments: [String]) throws(MediaLoadError) -> MediaLoadOptions {
        var options = MediaLoadOptions()
        var index = 0
        func value() throws(MediaLoadError) -> String {
            index += 1
            guard index < arguments.count else { throw MediaLoadError("missing value for \(arguments[index - 1])") }
            return arguments[index]
        }
        func number() throws(MediaLoadError) -> Int {
            let text = try value()
            guard let number = Int(text), number >= 0 else { throw MediaLoadError("not a number: \(text)") }
            return number
        }
        func hostPort() throws(MediaLoadError) -> SIPHostPort {
            let text = try value()
            guard let parsed = SIPHostPort(text) else { throw MediaLoadError("expected HOST:PORT, got \(text)") }
            return parsed
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--wss": options.wss = try hostPort()
            case "--udp": options.udp = try hostPort()
            case "--domain": options.domain = try value()
            case "--calls": options.calls = try number()
            case "--seconds": options.seconds = try number()
            case "--setup-rate":
                let text = try value()
                guard let rate = Double(text), rate >= 0, rate.isFinite else {
                    throw MediaLoadError("not a rate: \(text)")
                }
                options.setupRate = rate
            case "--codec":
                let text = try value()
                guard let codec = WebCodecChoice(rawValue: text) else {
                    throw MediaLoadError("--codec takes opus or pcmu, not \(text)")
                }
                options.codec = codec
            case "--user-prefix": options.userPrefix = try value()
            case "--password": options.password = try value()
            case "--user-digits": options.userDigits = try number()
            case "--first-user": options.firstUser = try number()
            case "--device-suffix": options.deviceSuffix = try value()
            case "--web-auth-suffix": options.webAuthSuffix = try value()
            case "--drain-ms": options.drainMilliseconds = try number()
            case "--verify-every": options.verifyEvery = try number()
            case "-h", "--help": throw MediaLoadError(usage)
            default: throw MediaLoadError("unknown option \(arguments[index])\n\(usage)")
            }
            index += 1
        }
        guard options.calls > 0 else { throw MediaLoadError("--calls must be at least 1") }
        return options
    }

    /// The call's number as it appears in user names, zero-padded to `userDigits`.
    func number(_ call: Int) -> String {
        let digits = String(firstUser + call)
        return String(repeating: "0", count: max(0, userDigits - digits.count)) + digits
    }

    /// The web user of call `call` (its AOR): wNNNN.
    func webUser(_ call: Int) -> String { userPrefix + "w" + number(call) }

    /// The auth username the web caller registers and calls with: wNNNN + `webAuthSuffix` (wNNNN-ws).
    func webAccount(_ call: Int) -> String { webUser(call) + webAuthSuffix }

    /// The callee user of call `call`: dNNNN.
    func deviceUser(_ call: Int) -> String { userPrefix + "d" + number(call) }

    /// The device account (auth username) the callee's phone registers with: dNNNN-phone.
    func deviceAccount(_ call: Int) -> String { deviceUser(call) + deviceSuffix }
}

/// HOST:PORT of one of Parley's listeners; IPv6 in brackets.
struct SIPHostPort: Sendable, CustomStringConvertible {
    var host: String
    var port: UInt16

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// One line of text for the user.
struct MediaLoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
