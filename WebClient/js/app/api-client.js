// Client of the Parley server's session and chat API (same origin, JSON).
// fetch is injectable so tests need no network.

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

/** Room and user names (chat contract): letters, digits and `-._~`, never only dots (a path segment). */
const CHAT_NAME = /^[A-Za-z0-9\-._~]+$/;
const MAX_HISTORY_LIMIT = 500;

/** @param {unknown} name @returns {boolean} whether it is a room or user name the chat API takes */
export function isChatName(name) {
    return typeof name === "string" && name.length <= 64 && CHAT_NAME.test(name) && !/^\.+$/.test(name);
}

/** @param {unknown} name @param {string} what @returns {string} the name, safe as one path segment */
function chatPathSegment(name, what) {
    if (!isChatName(name)) throw new TypeError(`${what} must be a name of letters, digits and -._~`);
    return encodeURIComponent(name);
}

/** @param {unknown} value @returns {number|null} a message id (non-negative safe integer; digit strings accepted) */
export function parseMessageId(value) {
    const number = typeof value === "string" && /^[0-9]{1,16}$/.test(value) ? Number(value) : value;
    return Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** @param {unknown} value @returns {number} a count, 0 for anything that is not a non-negative integer */
function parseCount(value) {
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/** @param {unknown} value @returns {string|null} */
function optionalString(value) {
    return isNonEmptyString(value) ? value : null;
}

/**
 * Checks one room of GET /api/rooms (`members` and `unread` only in `rooms`, not in `available`).
 * @param {unknown} room
 * @returns {{name: string, displayName: string|null, uri: string, members: string[], unread: number}|null}
 */
function parseRoom(room) {
    if (!room || typeof room !== "object" || !isChatName(room.name)) return null;
    if (!isNonEmptyString(room.uri) || !/^sips?:/i.test(room.uri)) return null;
    const members = Array.isArray(room.members) ? room.members.filter(isChatName) : [];
    return { name: room.name, displayName: optionalString(room.displayName), uri: room.uri, members,
        unread: parseCount(room.unread) };
}

/**
 * Checks a GET /api/rooms answer; malformed entries are left out.
 * @param {unknown} payload
 * @returns {{rooms: {name: string, displayName: string|null, uri: string, members: string[], unread: number}[],
 *   available: {name: string, displayName: string|null, uri: string}[], privateUnread: Record<string, number>}}
 * @throws {ApiError} kind "invalid-response" without a `rooms` list
 */
export function parseRooms(payload) {
    if (!payload || typeof payload !== "object" || !Array.isArray(payload.rooms)) {
        throw new ApiError("invalid-response", INVALID_RESPONSE_TEXT);
    }
    const rooms = payload.rooms.map(parseRoom).filter(Boolean);
    const available = (Array.isArray(payload.available) ? payload.available : []).map(parseRoom).filter(Boolean)
        .map(({ name, displayName, uri }) => ({ name, displayName, uri }));
    const privateUnread = {};
    const counts = payload.privateUnread;
    if (counts && typeof counts === "object" && !Array.isArray(counts)) {
        for (const [user, count] of Object.entries(counts)) {
            if (isChatName(user) && parseCount(count) > 0) privateUnread[user] = parseCount(count);
        }
    }
    return { rooms, available, privateUnread };
}

/**
 * Checks one stored message of a history page.
 * @param {unknown} message
 * @returns {{id: number, sender: string, from: string, contentType: string, body: string, at: number}|null}
 */
export function parseChatMessage(message) {
    if (!message || typeof message !== "object") return null;
    const id = parseMessageId(message.id);
    if (id === null || !isNonEmptyString(message.sender) || typeof message.body !== "string") return null;
    return {
        id,
        sender: message.sender,
        from: isNonEmptyString(message.from) ? message.from : "",
        contentType: isNonEmptyString(message.contentType) ? message.contentType : "text/plain",
        body: message.body,
        at: Number.isFinite(message.at) ? message.at : 0,
    };
}

/**
 * Checks a history page: `{"messages": [...]}`, oldest first; malformed messages are left out.
 * @param {unknown} payload
 * @returns {ReturnType<typeof parseChatMessage>[]}
 * @throws {ApiError} kind "invalid-response" without a `messages` list
 */
export function parseHistory(payload) {
    if (!payload || typeof payload !== "object" || !Array.isArray(payload.messages)) {
        throw new ApiError("invalid-response", INVALID_RESPONSE_TEXT);
    }
    return payload.messages.map(parseChatMessage).filter(Boolean).sort((left, right) => left.id - right.id);
}

/**
 * The query of a history request.
 * @param {{before?: number, after?: number, limit?: number}} [cursor]
 * @returns {string} "" or "?before=9&limit=50"
 * @throws {TypeError} for both cursors at once, a bad id or a limit outside 1...500
 */
function historyQuery({ before, after, limit } = {}) {
    const parameters = new URLSearchParams();
    if (before !== undefined && before !== null && after !== undefined && after !== null) {
        throw new TypeError("give before or after, not both");
    }
    for (const [name, value] of [["before", before], ["after", after]]) {
        if (value === undefined || value === null) continue;
        if (parseMessageId(value) === null) throw new TypeError(`${name} must be a message id`);
        parameters.set(name, String(parseMessageId(value)));
    }
    if (limit !== undefined && limit !== null) {
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
            throw new TypeError(`limit must be 1 to ${MAX_HISTORY_LIMIT}`);
        }
        parameters.set("limit", String(limit));
    }
    const query = parameters.toString();
    return query ? `?${query}` : "";
}

/** @param {unknown} upTo @returns {{upTo: number}} @throws {TypeError} */
function readMarker(upTo) {
    const id = parseMessageId(upTo);
    if (id === null) throw new TypeError("upTo must be a message id");
    return { upTo: id };
}

/** Calls the Parley session and chat API. */
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
     * GET /api/rooms: the user's rooms with members and unread counts, the rooms they may join, and the
     * unread counts of private conversations.
     * @returns {Promise<ReturnType<typeof parseRooms>>}
     * @throws {ApiError}
     */
    async rooms() {
        return parseRooms(await this._request("GET", "/api/rooms"));
    }

    /**
     * GET /api/rooms/NAME/messages: a page of a room's history, oldest first (without a cursor: the newest page).
     * @param {string} name
     * @param {{before?: number, after?: number, limit?: number}} [cursor]
     * @returns {Promise<ReturnType<typeof parseHistory>>}
     * @throws {ApiError} (403 not a member, 404 no such room); {TypeError} for a bad name or cursor
     */
    async roomHistory(name, cursor = {}) {
        const path = `/api/rooms/${chatPathSegment(name, "room")}/messages${historyQuery(cursor)}`;
        return parseHistory(await this._request("GET", path));
    }

    /**
     * GET /api/private/USER/messages: a page of the private conversation with USER.
     * @param {string} user
     * @param {{before?: number, after?: number, limit?: number}} [cursor]
     * @returns {Promise<ReturnType<typeof parseHistory>>}
     * @throws {ApiError} (404 no such user); {TypeError} for a bad name or cursor
     */
    async privateHistory(user, cursor = {}) {
        const path = `/api/private/${chatPathSegment(user, "user")}/messages${historyQuery(cursor)}`;
        return parseHistory(await this._request("GET", path));
    }

    /**
     * POST /api/rooms/NAME/read: the room is read up to this message (the marker only moves forward).
     * @param {string} name
     * @param {number} upTo message id
     * @returns {Promise<void>}
     * @throws {ApiError}; {TypeError} for a bad name or id
     */
    async markRoomRead(name, upTo) {
        await this._request("POST", `/api/rooms/${chatPathSegment(name, "room")}/read`, readMarker(upTo));
    }

    /**
     * POST /api/private/USER/read: the conversation with USER is read up to this message.
     * @param {string} user
     * @param {number} upTo message id
     * @returns {Promise<void>}
     * @throws {ApiError}; {TypeError} for a bad name or id
     */
    async markPrivateRead(user, upTo) {
        await this._request("POST", `/api/private/${chatPathSegment(user, "user")}/read`, readMarker(upTo));
    }

    /**
     * POST /api/rooms/NAME/join `{}`: 204; 404 for no such room.
     * @param {string} name
     * @returns {Promise<void>}
     * @throws {ApiError}; {TypeError} for a bad name
     */
    async joinRoom(name) {
        await this._request("POST", `/api/rooms/${chatPathSegment(name, "room")}/join`, {});
    }

    /**
     * POST /api/rooms/NAME/leave `{}`: 204; 404 for no such room.
     * @param {string} name
     * @returns {Promise<void>}
     * @throws {ApiError}; {TypeError} for a bad name
     */
    async leaveRoom(name) {
        await this._request("POST", `/api/rooms/${chatPathSegment(name, "room")}/leave`, {});
    }

    /**
     * GET /api/users: the people the user can chat with (the members of their rooms).
     * @returns {Promise<{name: string, displayName: string|null, uri: string}[]>}
     * @throws {ApiError} kind "invalid-response" without a `users` list
     */
    async users() {
        const payload = await this._request("GET", "/api/users");
        if (!payload || typeof payload !== "object" || !Array.isArray(payload.users)) {
            throw new ApiError("invalid-response", INVALID_RESPONSE_TEXT);
        }
        return payload.users.filter((user) => user && typeof user === "object" && isChatName(user.name))
            .map((user) => ({
                name: user.name,
                displayName: optionalString(user.displayName),
                uri: isNonEmptyString(user.uri) && /^sips?:/i.test(user.uri) ? user.uri : "",
            }));
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
