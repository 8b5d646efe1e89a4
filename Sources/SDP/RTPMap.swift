/// `a=rtpmap`. RFC 8866 section 6.6:
/// ```
/// rtpmap-value = payload-type SP encoding-name "/" clock-rate [ "/" encoding-params ]
/// payload-type = zero-based-integer        ; 0-127 (RFC 3551 section 3)
/// encoding-name = token
/// clock-rate = integer
/// encoding-params = channels
/// ```
public struct RTPMap: SDPAttributeConvertible {
    public static let attributeName = "rtpmap"

    public var payloadType: UInt8
    /// Case-insensitive (RFC 4855 section 3); compare with `hasEncoding(_:)`.
    public var encodingName: String
    public var clockRate: UInt32
    /// Audio channels when written; absent means one (RFC 8866 section 6.6).
    public var channels: Int?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    public init(attributeValue: String) throws(SDPParseError) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count == 2 else { throw .attribute("rtpmap", "expected <payload type> <encoding>/<clock rate>") }
        guard let payloadType = SDPText.number(fields[0], as: UInt8.self), payloadType <= 127 else {
            throw .attribute("rtpmap", "payload type is not 0-127")
        }
        let parts = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, SDPText.isToken(parts[0]) else {
            throw .attribute("rtpmap", "expected <encoding>/<clock rate>[/<channels>]")
        }
        guard let clockRate = SDPText.number(parts[1], as: UInt32.self), clockRate > 0 else {
            throw .attribute("rtpmap", "clock rate is not a positive number")
        }
        var channels: Int?
        if parts.count == 3 {
            guard let count = SDPText.number(parts[2], as: UInt8.self), count > 0 else {
                throw .attribute("rtpmap", "channel count is not 1-255")
            }
            channels = Int(count)
        }
        self.init(payloadType: payloadType, encodingName: String(parts[0]), clockRate: clockRate, channels: channels)
    }

    public var attributeValue: String {
        var value = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels { value += "/\(channels)" }
        return value
    }

    /// Channels, defaulting to one.
    public var channelCount: Int { channels ?? 1 }

    /// Case-insensitive comparison of the encoding name (`opus`, `PCMU`, `telephone-event`).
    public func hasEncoding(_ name: String) -> Bool { SDPText.equalsIgnoringCase(encodingName, name) }

    /// RFC 3551 section 6, tables 4 and 5: static payload types that devices may use without an rtpmap.
    public static func staticPayloadType(_ payloadType: UInt8) -> RTPMap? {
        let entry: (String, UInt32, Int?)? =
            switch payloadType {
            case 0: ("PCMU", 8000, nil)
            case 3: ("GSM", 8000, nil)
            case 4: ("G723", 8000, nil)
            case 5: ("DVI4", 8000, nil)
            case 6: ("DVI4", 16000, nil)
            case 7: ("LPC", 8000, nil)
            case 8: ("PCMA", 8000, nil)
            case 9: ("G722", 8000, nil)
            case 10: ("L16", 44100, 2)
            case 11: ("L16", 44100, nil)
            case 12: ("QCELP", 8000, nil)
            case 13: ("CN", 8000, nil)
            case 14: ("MPA", 90000, nil)
            case 15: ("G728", 8000, nil)
            case 16: ("DVI4", 11025, nil)
            case 17: ("DVI4", 22050, nil)
            case 18: ("G729", 8000, nil)
            case 25: ("CelB", 90000, nil)
            case 26: ("JPEG", 90000, nil)
            case 28: ("nv", 90000, nil)
            case 31: ("H261", 90000, nil)
            case 32: ("MPV", 90000, nil)
            case 33: ("MP2T", 90000, nil)
            case 34: ("H263", 90000, nil)
            default: nil
            }
        return entry.map { RTPMap(payloadType: payloadType, encodingName: $0.0, clockRate: $0.1, channels: $0.2) }
    }
}
