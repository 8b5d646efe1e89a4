/// A time description: one t= line and the r= lines that follow it. RFC 8866 sections 5.9 and 5.10:
/// ```
/// time-fields = 1*( %s"t" "=" start-time SP stop-time *(CRLF repeat-fields) CRLF ) [zone-adjustments CRLF]
/// ```
/// Times are NTP seconds; `t=0 0` is a permanent session, which is what every VoIP and WebRTC peer sends.
/// Repeat lines are kept as raw text: nothing in a call uses them.
public struct SDPTiming: Hashable, Sendable, CustomStringConvertible {
    public var start: UInt64
    public var stop: UInt64
    /// The text after each `r=`.
    public var repeatTimes: [String]

    public init(start: UInt64 = 0, stop: UInt64 = 0, repeatTimes: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeatTimes = repeatTimes
    }

    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        let fields = SDPText.fields(text)
        guard fields.count == 2, let start = SDPText.number(fields[0], as: UInt64.self),
            let stop = SDPText.number(fields[1], as: UInt64.self)
        else { throw SDPParseError(.malformedTiming, reason: "t= must be <start> <stop> in decimal seconds") }
        self.init(start: start, stop: stop)
    }

    /// The text after `t=`.
    public var description: String { "\(start) \(stop)" }
}
