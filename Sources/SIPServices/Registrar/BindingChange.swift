/// A change to the location service, reported so that the runtime can persist it (only
/// `Binding.isPersistent` ones need storing).
///
/// A store may key bindings by AOR and contact text (`contact.headerValue`): `.refreshed` always keeps
/// both; when a binding is replaced by one whose Contact is written differently (an RFC 5626
/// re-registration on a new flow, or changed contact parameters), the change comes as `.removed(old)`
/// then `.added(new)`.
public enum BindingChange: Hashable, Sendable {
    case added(Binding)
    /// Same AOR and Contact text; new expiry, CSeq, Call-ID or flow.
    case refreshed(Binding)
    case removed(Binding)

    public var binding: Binding {
        switch self {
        case .added(let binding), .refreshed(let binding), .removed(let binding): return binding
        }
    }
}
