import SDP

extension MediaDescription {
    /// Appends the codec's payload type to the m= line with its `a=rtpmap` and, when it has parameters, `a=fmtp`.
    mutating func addNegotiatedCodec(_ codec: NegotiatedCodec) {
        formats.append(String(codec.payloadType))
        addAttribute(codec.rtpMap)
        if let fmtp = codec.fmtp { addAttribute(fmtp) }
    }
}
