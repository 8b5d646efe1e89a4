extension MediaDescription {
    /// The formats of the m= line in preference order, each with its rtpmap and fmtp.
    public var mediaFormats: [MediaFormat] {
        let maps = rtpMaps
        let parameters = formatParameters
        return formats.map { format in
            let payloadType = isRTP ? SDPText.number(format, as: UInt8.self) : nil
            let rtpMap =
                payloadType.flatMap { pt in maps.first { $0.payloadType == pt } ?? RTPMap.staticPayloadType(pt) }
            return MediaFormat(format: format, rtpMap: rtpMap, parameters: parameters.first { $0.format == format })
        }
    }

    /// The codec of a payload type: its rtpmap, or the RFC 3551 static assignment when it has none.
    public func rtpMap(forPayloadType payloadType: UInt8) -> RTPMap? {
        rtpMaps.first { $0.payloadType == payloadType } ?? RTPMap.staticPayloadType(payloadType)
    }

    public func formatParameters(forPayloadType payloadType: UInt8) -> FormatParameters? {
        formatParameters.first { $0.payloadType == payloadType }
    }

    /// The first offered format with this encoding (case-insensitive) and, when given, clock rate and channels.
    public func firstFormat(encoding: String, clockRate: UInt32? = nil, channels: Int? = nil) -> MediaFormat? {
        mediaFormats.first { format in
            guard let map = format.rtpMap, map.hasEncoding(encoding) else { return false }
            return (clockRate == nil || map.clockRate == clockRate)
                && (channels == nil || map.channelCount == channels)
        }
    }

    /// Appends an RTP format to the m= line with its `a=rtpmap` and, when given, `a=fmtp`.
    public mutating func addCodec(_ rtpMap: RTPMap, parameters: [FormatParameters.Parameter] = []) {
        formats.append(String(rtpMap.payloadType))
        addAttribute(rtpMap)
        if !parameters.isEmpty {
            addAttribute(FormatParameters(payloadType: rtpMap.payloadType, parameters: parameters))
        }
    }

    /// Drops every format not kept by `isIncluded`, with the rtpmap, fmtp and rtcp-fb lines that describe it.
    public mutating func retainFormats(where isIncluded: (MediaFormat) -> Bool) {
        let removed = Set(mediaFormats.filter { !isIncluded($0) }.map(\.format))
        guard !removed.isEmpty else { return }
        formats.removeAll { removed.contains($0) }
        attributes.removeAll { attribute in
            guard ["rtpmap", "fmtp", "rtcp-fb"].contains(attribute.name), let value = attribute.value else {
                return false
            }
            let format = SDPText.trimmed(value).prefix { $0 != " " && $0 != "\t" }
            return removed.contains(String(format))
        }
    }
}
