/// Command-line options of the WebSocket load client.
struct LoadOptions {
    var host = "127.0.0.1"
    var port = 8080
    var tls = false
    var clients = 1000
    /// Users are PREFIX0000 .. PREFIXnnnn with this password, in `domain`.
    var userPrefix = "load"
    /// Each user authenticates as its name + this (e.g. "-sip": Parley's device account user000-sip); the
    /// AOR stays sip:NAME@domain. Empty: the user name itself (Kamailio).
    var authSuffix = ""
    var password = "secret"
    var domain = "localhost"
    /// REGISTERs in flight at once while connecting.
    var concurrency = 200
    /// MESSAGEs per second during the message phase; 0 skips it.
    var messageRate = 0
    var messageSeconds = 10
    /// A room every client is a member of: room messages at `roomRate` per second for `messageSeconds`,
    /// each fanned out by the server to every other member (the chatroom benchmark).
    var room: String?
    var roomRate = 0
    /// Seconds to stay connected and idle after registering (for memory measurements).
    var holdSeconds = 0
    var expires = 3600
    /// Digits of the user number, zero-padded (user000 for 3; larger numbers keep all their digits).
    var userDigits = 4

    static let usage = """
        SIPLoadClient [--host H] [--port P] [--tls] [--clients N] [--user-prefix P] [--password S] [--domain D]
                      [--user-digits N] [--auth-suffix S] [--concurrency C] [--message-rate R]
                      [--message-seconds S] [--hold S] [--room NAME --room-rate R]
        Opens N SIP WebSocket connections, REGISTERs user PREFIX0000..PREFIX(N-1) on each with digest (auth
        username PREFIXnnnn + the --auth-suffix, e.g. -sip for a device account; default the user name), then
        optionally sends MESSAGEs between random pairs at R per second for S seconds, answering the ones it
        receives. With --room, every client is a member of room NAME: random members send R room messages per
        second for S seconds and every delivery's latency (send to arrival at a member) is recorded.
        Prints one line per phase with throughput and latency percentiles.
        """

    static func parse(_ arguments: [String]) throws -> LoadOptions {
        var options = LoadOptions()
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw LoadError("missing value for \(arguments[index - 1])") }
            return arguments[index]
        }
        func number() throws -> Int {
            let text = try value()
            guard let number = Int(text), number >= 0 else { throw LoadError("not a number: \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--host": options.host = try value()
            case "--port": options.port = try number()
            case "--tls": options.tls = true
            case "--clients": options.clients = try number()
            case "--user-prefix": options.userPrefix = try value()
            case "--auth-suffix": options.authSuffix = try value()
            case "--password": options.password = try value()
            case "--domain": options.domain = try value()
            case "--concurrency": options.concurrency = max(1, try number())
            case "--message-rate": options.messageRate = try number()
            case "--message-seconds": options.messageSeconds = try number()
            case "--hold": options.holdSeconds = try number()
            case "--room": options.room = try value()
            case "--room-rate": options.roomRate = try number()
            case "--expires": options.expires = try number()
            case "--user-digits": options.userDigits = try number()
            case "-h", "--help": throw LoadError(usage)
            default: throw LoadError("unknown option \(arguments[index])\n\(usage)")
            }
            index += 1
        }
        return options
    }

    func user(_ number: Int) -> String {
        let digits = String(number)
        return userPrefix + String(repeating: "0", count: max(0, userDigits - digits.count)) + digits
    }

    /// The digest username of user `number`: its name + `authSuffix`.
    func authUsername(_ number: Int) -> String {
        user(number) + authSuffix
    }
}

struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
