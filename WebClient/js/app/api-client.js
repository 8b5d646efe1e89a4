// Client of the Parley server's session API (same origin, JSON). fetch is injectable so tests need no network.

/** Why an API call failed; `kind` lets the UI pick its wording without parsing messages. */
export class ApiError extends Error {
    /**
     * @param {"network"|"timeout"|"unauthorized"|"rate-limited"|"bad-request"|"server"|"invalid-response"|"http"} kind
     * @param {string} message text for people
     * @param {object} [details]
     * @param {number} [details.status=0] HTTP status (0 when no response arrived)
     * @param {string|null} [details.serverMessage=null] the server's {"error": ...} text, when it sent one
     * @param {unknown} [details.cause]
     */
    constructor(kind, message, { status = 0, serverMessage = null, cause } = {}) {
        super(message, cause === undefined ? undefined : { cause });
        this.name = "ApiError";
        this.kind = kind;
        this.status = status;
        this.serverMessage = serverMessage;
    }
}

const MAX_SERVER_MESSAGE_LENGTH = 300;
const INVALID_RESPONSE_TEXT = "The server sent an answer this page does not understand.";

/** @param {number} status */
function kindForStatus(status) {
    if (status === 400) return "bad-request";
    if (status === 401) return "unauthorized";
    if (status === 429) return "rate-limited";
    if (status >= 500) return "server";
    return "http";
}

/** @param {unknown} value @returns {boolean} */
function isNonEmptyString(value) {
    return typeof value === "string" && value.trim() !== "";
}

/**
 * Checks and copies the `sip` object of a SignIn answer.
 * @param {unknown} sip
 * @returns {{authUsername: string, password: string, realm: string, webSocketURL: string}|null}
 */
export function parseSIPCredentials(sip) {
    if (!sip || typeof sip !== "object") return null;
    const { authUsername, password, realm, webSocketURL } = sip;
    if (!isNonEmptyString(authUsername) || !isNonEmptyString(password) || !isNonEmptyString(webSocketURL)) return null;
    if (!/^wss?:\/\//i.test(webSocketURL)) return null;
    return { authUsername, password, realm: typeof realm === "string" ? realm : "", webSocketURL };
}

/**
 * Checks and copies the session part shared by GET /api/session and the SignIn answer.
 * @param {unknown} payload
 * @returns {{user: string, displayName: string|null, aor: string, domain: string, expiresAt: number|null}|null}
 */
export function parseSessionInfo(payload) {
    if (!payload || typeof payload !== "object") return null;
    const { user, displayName, aor, domain, expiresAt } = payload;
    if (!isNonEmptyString(user) || !isNonEmptyString(aor) || !/^sips?:/i.test(aor)) return null;
    return {
        user,
        displayName: isNonEmptyString(displayName) ? displayName : null,
        aor,
        domain: typeof domain === "string" ? domain : "",
        expiresAt: Number.isFinite(expiresAt) ? expiresAt : null,
    };
}

/**
 * Checks a SignIn answer (POST /api/session, POST /api/session/key).
 * @param {unknown} payload
 * @returns {{user: string, displayName: string|null, aor: string, domain: string, expiresAt: number|null,
 *   sip: {authUsername: string, password: string, realm: string, webSocketURL: string}}}
 * @throws {ApiError} kind "invalid-response" when a field is missing
 */
export function parseSignIn(payload) {
    const session = parseSessionInfo(payload);
    const sip = parseSIPCredentials(payload?.sip);
    if (!session || !sip) {
        throw new ApiError("invalid-response", INVALID_RESPONSE_TEXT);
    }
    return { ...session, sip };
}

/**
 * The words the sign-in form shows for a failed sign-in.
 * The server's own text is used when it sent one (it says e.g. how long to wait after too many attempts).
 * @param {unknown} error usually an ApiError
 * @returns {string}
 */
export function describeSignInError(error) {
    if (!(error instanceof ApiError)) return "Sign-in failed because of an unexpected error. Please try again.";
    switch (error.kind) {
    case "unauthorized":
        return error.serverMessage ?? "wrong user name or password";
    case "rate-limited":
        return error.serverMessage ?? "too many failed sign-ins; try again later";
    case "bad-request":
        return error.serverMessage ?? "the server could not read the sign-in request";
    default:
        return error.message;
    }
}

/** Calls the Parley session API. */
export class ApiClient {
    /**
     * @param {object} [options]
     * @param {Function} [options.fetch] fetch implementation (globalThis.fetch by default)
     * @param {string} [options.baseURL=""] prefix of every path ("" = same origin)
     * @param {number} [options.timeoutMs=15000] abort a request that gets no answer in this time
     */
    constructor({ fetch: fetchImplementation, baseURL = "", timeoutMs = 15000 } = {}) {
        // Calling window.fetch as a method of another object throws "Illegal invocation": keep it free-standing.
        this._fetch = fetchImplementation ?? ((...args) => globalThis.fetch(...args));
        this._baseURL = baseURL;
        this._timeoutMs = timeoutMs;
    }

    /**
     * POST /api/session: signs in with user name and password.
     * @param {string} user
     * @param {string} password
     * @returns {Promise<ReturnType<typeof parseSignIn>>}
     * @throws {ApiError}
     */
    async signIn(user, password) {
        return parseSignIn(await this._request("POST", "/api/session", { user, password }));
    }

    /**
     * GET /api/session: who the session cookie belongs to.
     * @returns {Promise<NonNullable<ReturnType<typeof parseSessionInfo>>>}
     * @throws {ApiError} kind "unauthorized" when there is no valid session
     */
    async getSession() {
        const session = parseSessionInfo(await this._request("GET", "/api/session"));
        if (!session) throw new ApiError("invalid-response", INVALID_RESPONSE_TEXT);
        return session;
    }

    /**
     * POST /api/session/key: a new SIP key for this session (the previous key stops working).
     * @returns {Promise<ReturnType<typeof parseSignIn>>}
     * @throws {ApiError}
     */
    async renewKey() {
        return parseSignIn(await this._request("POST", "/api/session/key", {}));
    }

    /**
     * DELETE /api/session: ends the session; the server revokes the SIP key and closes its WebSockets.
     * @returns {Promise<void>}
     * @throws {ApiError}
     */
    async signOut() {
        await this._request("DELETE", "/api/session");
    }

    /**
     * @param {string} method
     * @param {string} path
     * @param {object} [body] sent as JSON when present
     * @returns {Promise<unknown>} the parsed JSON answer, or null for an empty one
     */
    async _request(method, path, body) {
        const headers = { Accept: "application/json" };
        const init = { method, headers, credentials: "same-origin", cache: "no-store" };
        if (body !== undefined) {
            headers["Content-Type"] = "application/json";
            init.body = JSON.stringify(body);
        }
        if (this._timeoutMs > 0 && typeof AbortSignal !== "undefined" && typeof AbortSignal.timeout === "function") {
            init.signal = AbortSignal.timeout(this._timeoutMs);
        }
        const fetchImplementation = this._fetch;
        let response;
        try {
            response = await fetchImplementation(this._baseURL + path, init);
        } catch (error) {
            if (error?.name === "TimeoutError" || error?.name === "AbortError") {
                throw new ApiError("timeout", "The server did not answer in time. Please try again.", { cause: error });
            }
            throw new ApiError("network", "Cannot reach the Parley server. Check your connection and try again.",
                { cause: error });
        }
        const payload = await readJSON(response);
        if (response.ok) return payload;
        const status = response.status;
        const serverMessage = isNonEmptyString(payload?.error)
            ? payload.error.trim().slice(0, MAX_SERVER_MESSAGE_LENGTH)
            : null;
        const statusText = isNonEmptyString(response.statusText) ? ` ${response.statusText}` : "";
        const message = serverMessage ?? `The server answered ${status}${statusText}.`;
        throw new ApiError(kindForStatus(status), message, { status, serverMessage });
    }
}

/**
 * Reads a JSON body; an empty or non-JSON body (e.g. a proxy's HTML error page) reads as null.
 * @param {{status: number, text: Function}} response
 * @returns {Promise<unknown>}
 */
async function readJSON(response) {
    if (response.status === 204) return null;
    let text;
    try {
        text = await response.text();
    } catch {
        return null;
    }
    if (!text) return null;
    try {
        return JSON.parse(text);
    } catch {
        return null;
    }
}
