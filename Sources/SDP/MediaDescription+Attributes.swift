extension MediaDescription {
    /// RFC 5888 section 4 / RFC 9143: `a=mid`.
    public var mid: String? {
        get { attributeValue(named: "mid") }
        set { setAttributeValue(newValue, named: "mid") }
    }

    public var rtpMaps: [RTPMap] { typedAttributes(RTPMap.self) }

    public var formatParameters: [FormatParameters] { typedAttributes(FormatParameters.self) }

    /// RFC 8839 section 5.1: `a=candidate` lines in order.
    public var candidates: [ICECandidate] { typedAttributes(ICECandidate.self) }

    public mutating func addCandidate(_ candidate: ICECandidate) { addAttribute(candidate) }

    /// RFC 8840 section 8.2: `a=end-of-candidates`, no more candidates will trickle.
    public var endOfCandidates: Bool {
        get { hasAttribute(named: "end-of-candidates") }
        set { setFlag("end-of-candidates", newValue) }
    }

    /// RFC 5761 section 5.1.1: `a=rtcp-mux`, RTP and RTCP on one port.
    public var rtcpMux: Bool {
        get { hasAttribute(named: "rtcp-mux") }
        set { setFlag("rtcp-mux", newValue) }
    }

    /// RFC 3605: `a=rtcp`.
    public var rtcp: RTCPAttribute? {
        get { typedAttribute(RTCPAttribute.self) }
        set { setAttribute(newValue) }
    }

    /// RFC 5576 section 4.1: `a=ssrc` lines in order.
    public var ssrcAttributes: [SSRCAttribute] { typedAttributes(SSRCAttribute.self) }

    /// The distinct SSRCs of the `a=ssrc` lines, in first-seen order.
    public var ssrcs: [UInt32] {
        var seen = Set<UInt32>()
        return ssrcAttributes.compactMap { seen.insert($0.ssrc).inserted ? $0.ssrc : nil }
    }

    /// RFC 7022 / RFC 5576 section 6.1: the `cname` of a source.
    public func cname(ofSSRC ssrc: UInt32) -> String? {
        ssrcAttributes.first { $0.ssrc == ssrc && $0.name == "cname" }?.value
    }

    /// RFC 8830: `a=msid`.
    public var msid: MSID? {
        get { typedAttribute(MSID.self) }
        set { setAttribute(newValue) }
    }

    /// RFC 8866 section 6.4: `a=ptime`, milliseconds of media per packet.
    public var ptime: Int? {
        get { milliseconds(named: "ptime") }
        set { setAttributeValue(newValue.map(String.init), named: "ptime") }
    }

    /// RFC 8866 section 6.5: `a=maxptime`.
    public var maxptime: Int? {
        get { milliseconds(named: "maxptime") }
        set { setAttributeValue(newValue.map(String.init), named: "maxptime") }
    }

    /// A whole number of milliseconds; a fractional value (allowed by RFC 8866 section 6.4) is truncated, since
    /// packetization works in whole milliseconds here.
    private func milliseconds(named name: String) -> Int? {
        guard let value = attributeValue(named: name) else { return nil }
        let text = SDPText.trimmed(value)
        return SDPText.number(text.prefix { $0 != "." }, as: UInt32.self).map(Int.init)
    }
}
