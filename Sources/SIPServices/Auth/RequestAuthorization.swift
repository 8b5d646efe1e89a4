/// What an authenticated private identity may do (RFC 3261 section 10.3 step 4: the registrar decides
/// whether the authenticated user may modify bindings for the AOR; the same identity binds what a
/// client may claim as its From). Each private identity belongs to exactly one public identity and acts
/// only as that one: a device cannot register for, or send as, another user.
public enum RequestAuthorization {
    /// RFC 3261 section 10.3 step 4: otherwise 403 Forbidden.
    public static func mayRegister(identity: PrivateIdentity, toAOR aor: AOR) -> Bool {
        identity.aor == aor
    }

    /// Whether requests from `identity` may carry `aor` as their From identity (otherwise 403).
    public static func mayAssert(identity: PrivateIdentity, fromAOR aor: AOR) -> Bool {
        identity.aor == aor
    }
}
