/// A level that carries a= lines: the session or one media section. Typed views parse on demand from
/// `attributes`; setters replace the attributes they own in place, so the order of the others is untouched.
public protocol SDPAttributeContainer {
    var attributes: [SDPAttribute] { get set }
}

extension SDPAttributeContainer {
    // MARK: Raw access

    public func attributes(named name: String) -> [SDPAttribute] {
        attributes.filter { $0.name == name }
    }

    /// The value of the first attribute with this name; `""` for a property attribute, nil when absent.
    public func attributeValue(named name: String) -> String? {
        attributes.first { $0.name == name }.map { $0.value ?? "" }
    }

    public func hasAttribute(named name: String) -> Bool {
        attributes.contains { $0.name == name }
    }

    public mutating func addAttribute(_ attribute: SDPAttribute) {
        attributes.append(attribute)
    }

    /// Replaces every attribute with this name by `replacement`, at the position of the first one (or at the end).
    public mutating func replaceAttributes(named name: String, with replacement: [SDPAttribute]) {
        replaceAttributes(where: { $0.name == name }, with: replacement)
    }

    public mutating func removeAttributes(named name: String) {
        attributes.removeAll { $0.name == name }
    }

    /// Sets the first attribute with this name to `value` and removes the others; nil removes them all.
    public mutating func setAttributeValue(_ value: String?, named name: String) {
        replaceAttributes(named: name, with: value.map { [SDPAttribute(name: name, value: $0)] } ?? [])
    }

    /// Adds or removes a property attribute such as `a=rtcp-mux`.
    public mutating func setFlag(_ name: String, _ isSet: Bool) {
        replaceAttributes(named: name, with: isSet ? [SDPAttribute(name: name)] : [])
    }

    mutating func replaceAttributes(where matches: (SDPAttribute) -> Bool, with replacement: [SDPAttribute]) {
        // Nothing before the first match is removed, so its index stays valid.
        let position = attributes.firstIndex(where: matches) ?? attributes.endIndex
        attributes.removeAll(where: matches)
        attributes.insert(contentsOf: replacement, at: position)
    }

    // MARK: Typed access

    /// Every attribute of this type that parses; malformed ones are skipped (the parser rejects them by default).
    public func typedAttributes<T: SDPAttributeConvertible>(_ type: T.Type) -> [T] {
        attributes.compactMap { attribute in
            guard attribute.name == T.attributeName, let value = attribute.value else { return nil }
            return try? T(attributeValue: value)
        }
    }

    public func typedAttribute<T: SDPAttributeConvertible>(_ type: T.Type) -> T? {
        typedAttributes(type).first
    }

    public mutating func addAttribute<T: SDPAttributeConvertible>(_ value: T) {
        attributes.append(value.attribute)
    }

    /// Replaces every attribute of this type by `value` (or removes them for nil).
    public mutating func setAttribute<T: SDPAttributeConvertible>(_ value: T?) {
        replaceAttributes(named: T.attributeName, with: value.map { [$0.attribute] } ?? [])
    }

    // MARK: Attributes valid at both levels

    /// RFC 8839 section 5.4: `a=ice-ufrag`.
    public var iceUfrag: String? {
        get { attributeValue(named: "ice-ufrag") }
        set { setAttributeValue(newValue, named: "ice-ufrag") }
    }

    /// RFC 8839 section 5.4: `a=ice-pwd`.
    public var icePwd: String? {
        get { attributeValue(named: "ice-pwd") }
        set { setAttributeValue(newValue, named: "ice-pwd") }
    }

    /// RFC 8839 section 5.6: `a=ice-options:<token> *(SP <token>)`, e.g. `trickle`.
    public var iceOptions: [String] {
        get { attributeValue(named: "ice-options").map { SDPText.fields($0).map(String.init) } ?? [] }
        set { setAttributeValue(newValue.isEmpty ? nil : newValue.joined(separator: " "), named: "ice-options") }
    }

    /// RFC 8122 section 5: one or more `a=fingerprint` lines.
    public var fingerprints: [Fingerprint] {
        get { typedAttributes(Fingerprint.self) }
        set { replaceAttributes(named: Fingerprint.attributeName, with: newValue.map(\.attribute)) }
    }

    /// RFC 4145 section 4: `a=setup`.
    public var setupRole: SetupRole? {
        get { typedAttribute(SetupRole.self) }
        set { setAttribute(newValue) }
    }

    /// RFC 8866 section 6.7: the direction attribute written at this level, if any. See
    /// `SessionDescription.direction(of:)` for the effective one.
    public var explicitDirection: MediaDirection? {
        get { attributes.lazy.compactMap { $0.value == nil ? MediaDirection(rawValue: $0.name) : nil }.first }
        set {
            replaceAttributes(
                where: { $0.value == nil && MediaDirection(rawValue: $0.name) != nil },
                with: newValue.map { [SDPAttribute(name: $0.rawValue)] } ?? [])
        }
    }

    /// RFC 8285 section 8: `a=extmap` header extension mappings.
    public var extensionMaps: [ExtMap] { typedAttributes(ExtMap.self) }
}
