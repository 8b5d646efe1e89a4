/// A binding as a 200 to REGISTER lists it: with the seconds it has left (RFC 3261 section 10.3 step 8).
public struct RegisteredContact: Hashable, Sendable {
    public var binding: Binding
    public var expiresIn: Int64

    public init(binding: Binding, expiresIn: Int64) {
        self.binding = binding
        self.expiresIn = expiresIn
    }
}
