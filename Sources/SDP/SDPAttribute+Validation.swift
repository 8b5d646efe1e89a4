extension SDPAttribute {
    /// Checks the grammar of the attributes that have typed views, so that a malformed one is rejected when the
    /// description arrives instead of vanishing from a typed view later. Unknown attributes always pass.
    public func validate() throws(SDPParseError) {
        switch name {
        case RTPMap.attributeName: _ = try RTPMap(attributeValue: requiredValue())
        case FormatParameters.attributeName: _ = try FormatParameters(attributeValue: requiredValue())
        case ICECandidate.attributeName: _ = try ICECandidate(attributeValue: requiredValue())
        case Fingerprint.attributeName: _ = try Fingerprint(attributeValue: requiredValue())
        case SetupRole.attributeName: _ = try SetupRole(attributeValue: requiredValue())
        case SDPGroup.attributeName: _ = try SDPGroup(attributeValue: requiredValue())
        case RTCPAttribute.attributeName: _ = try RTCPAttribute(attributeValue: requiredValue())
        case SSRCAttribute.attributeName: _ = try SSRCAttribute(attributeValue: requiredValue())
        case ExtMap.attributeName: _ = try ExtMap(attributeValue: requiredValue())
        case MSID.attributeName: _ = try MSID(attributeValue: requiredValue())
        case "mid":
            // RFC 5888 section 4: identification-tag = token.
            guard SDPText.isToken(try requiredValue()) else { throw .attribute(name, "mid is not a token") }
        case "ice-ufrag", "ice-pwd":
            // RFC 8839 section 5.4: ice-char strings of 4-256 (ufrag) and 22-256 (pwd) characters. The minimum
            // lengths are not enforced: a short credential is weak, not unparseable.
            guard SDPText.isICEString(try requiredValue(), lengths: 1...256) else {
                throw .attribute(name, "value is not 1-256 ice-chars")
            }
        default: break
        }
    }

    private func requiredValue() throws(SDPParseError) -> String {
        guard let value else { throw .attribute(name, "a=\(name) needs a value") }
        return value
    }
}
