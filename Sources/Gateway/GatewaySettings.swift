import MediaSession

/// Everything `parley serve` and the `parley user` commands need, after merging the command line, the
/// PARLEY_* environment and the config file (in that order of precedence) over the defaults of DESIGN.md.
public struct GatewaySettings: Sendable, Equatable {
    public var domain = "localhost"
    public var dataDirectory = "./data"
    /// Each listener setting is a list (`0.0.0.0:5060,[::]:5060` listens on IPv4 and IPv6); empty is off.
    public var sipUDP: [HostPort] = [HostPort(host: "0.0.0.0", port: 5060)]
    public var sipTCP: [HostPort] = [HostPort(host: "0.0.0.0", port: 5060)]
    public var sipTLS: [HostPort] = [HostPort(host: "0.0.0.0", port: 5061)]
    /// HTTPS and WSS (`/sip`) on one port.
    public var https: [HostPort] = [HostPort(host: "0.0.0.0", port: 8443)]
    /// Plain WS (`/sip`), off unless configured.
    public var sipWS: [HostPort] = []
    public var mediaIP: String?
    public var mediaPorts: ClosedRange<Int> = 20000...20999
    /// `transcode` (default): Opus toward the browser whenever it offers it; `pass-through`: the same
    /// codec on both legs when they share one (no transcoding).
    public var mediaCodecPolicy: CodecPolicy = .transcodeToOpus
    /// libopus encoder complexity, 0 to 10.
    public var opusComplexity: Int32 = 5
    /// PEM files; when unset, `<data dir>/certs/server.crt` and `server.key`, made if missing.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Origins allowed to open the SIP WebSocket; unset allows any.
    public var allowedOrigins: Set<String>?
    /// Digest algorithms offered, preferred first (RFC 8760); `MD5,SHA-256` for clients that answer
    /// the topmost challenge whatever its algorithm.
    public var digestAlgorithms: [String] = ["SHA-256", "MD5"]
    /// Whether digest credentials must name the Request-URI (RFC 2617 section 3.2.2.5); `off` for sipp.
    public var digestURICheck = true
    /// The server's WebSocket ping interval, seconds.
    public var webSocketPingSeconds = 25
    /// The web client's folder, served at `/` on the HTTPS port.
    public var webRoot = "./WebClient"
    /// A web session ends this many hours after sign-in.
    public var webSessionHours = 12

    public init() {}
}
