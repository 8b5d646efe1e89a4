// The browser SIP user agent: WebSocket transport (RFC 7118), outbound registration (RFC 5626), calls,
// instant messages (RFC 3428) and subscriptions (RFC 6665).
import { CallSession } from "./call-session.js";
import { WebSocketConnection } from "./connection.js";
import { DigestAuthenticator } from "./digest.js";
import { isToken } from "./grammar.js";
import { ALLOWED_METHODS, IncomingRequests } from "./incoming-requests.js";
import { NameAddress } from "./name-address.js";
import { Publication } from "./publication.js";
import { newCallId, newTag, newUUID, randomToken } from "./random.js";
import { Registration } from "./registration.js";
import { RequestSender } from "./request-sender.js";
import { SIPParseError } from "./sip-parse-error.js";
import { SIPParser } from "./sip-parser.js";
import { SIPRequest } from "./sip-request.js";
import { SIPResponse } from "./sip-response.js";
import { SIPURI } from "./sip-uri.js";
import { Subscription } from "./subscription.js";
import { TransactionLayer } from "./transaction-layer.js";

export { CallSession } from "./call-session.js";
export { Publication } from "./publication.js";
export { Subscription } from "./subscription.js";

const MAX_RECONNECT_DELAY_MS = 30_000;
const STOP_TIMEOUT_MS = 4000;

export class UserAgent extends EventTarget {
    /** Private, so that window.parley.userAgent (read by the browser tests) never shows it. */
    #password;

    /**
     * @param {object} options
     * @param {string} options.webSocketURL     wss://host:port/sip
     * @param {string} options.aor              sip:alice@localhost
     * @param {string} options.authUsername
     * @param {string} options.password       kept in a private field only (not in `options`)
     * @param {string} [options.realm]          the digest realm of these credentials (the SignIn JSON's sip.realm);
     *                                          only its challenges are answered. Default: the AOR's host
     * @param {string} [options.displayName]
     * @param {string} options.instanceId       a UUID (the UA builds urn:uuid:...)
     * @param {number} [options.registerExpires=600]
     * @param {Function} [options.WebSocket=globalThis.WebSocket]
     * @param {Function} [options.RTCPeerConnection=globalThis.RTCPeerConnection]
     * @param {Function} [options.MediaStream=globalThis.MediaStream]   wraps remote tracks that come without a stream
     * @param {object} [options.timers={setTimeout, clearTimeout, now: Date.now}]
     * @param {string} [options.userAgentName="Parley-WebClient/1.0"]
     * @param {() => number} [options.random=Math.random]   jitter source of the reconnect backoff
     * @param {{debug: Function, warn: Function}} [options.logger]
     * @throws {TypeError} on a missing or malformed option
     */
    constructor(options) {
        super();
        const { webSocketURL, aor, authUsername, password } = options ?? {};
        if (typeof webSocketURL !== "string" || !/^wss?:\/\//i.test(webSocketURL)) {
            throw new TypeError("webSocketURL must be a ws:// or wss:// URL");
        }
        try {
            this.aorURI = SIPURI.parse(aor);
        } catch {
            throw new TypeError("aor must be a sip: URI such as sip:alice@localhost");
        }
        if (typeof authUsername !== "string" || typeof password !== "string") {
            throw new TypeError("authUsername and password must be strings");
        }
        if (options.realm !== undefined && options.realm !== null && typeof options.realm !== "string") {
            throw new TypeError("realm must be a string");
        }
        this.#password = password;
        const { password: _omitted, ...publicOptions } = options;
        /** The constructor options without the password. */
        this.options = Object.freeze(publicOptions);
        /** RFC 3261 §22.1: the protection space our credentials answer; other realms' challenges are not ours. */
        this.realm = options.realm || this.aorURI.host;
        this.webSocketURL = webSocketURL;
        this.displayName = options.displayName ?? null;
        this.userAgentName = options.userAgentName ?? "Parley-WebClient/1.0";
        this.timers = {
            setTimeout: (callback, delay) => globalThis.setTimeout(callback, delay),
            clearTimeout: (id) => globalThis.clearTimeout(id),
            now: () => Date.now(),
            ...(options.timers ?? {}),
        };
        this.random = options.random ?? Math.random;
        this.logger = options.logger ?? { debug() {}, warn: (...args) => globalThis.console?.warn(...args) };
        const instance = String(options.instanceId ?? newUUID()).replace(/^urn:uuid:/i, "");
        /** `<urn:uuid:...>` as in +sip.instance (RFC 5626 §4.1) */
        this.instanceURN = `<urn:uuid:${instance}>`;
        this.authenticator = new DigestAuthenticator({ username: authUsername, password: this.#password });
        // RFC 7118 §5.2: the Via and Contact hosts are random names under .invalid.
        const host = `${randomToken(12)}.invalid`;
        this.viaValue = `SIP/2.0/${/^wss:/i.test(webSocketURL) ? "WSS" : "WS"} ${host}`;
        this.contactURI = SIPURI.parse(`sip:${randomToken(8)}@${host};transport=ws;ob`);
        this.allowValue = ALLOWED_METHODS.join(", ");
        this.fromAddress = new NameAddress(SIPURI.parse(this.aorURI.addressOfRecord),
            { displayName: this.displayName }).toString();
        this._state = "stopped";
        this.connection = null;
        this.reconnectAttempt = 0;
        this.retryTimer = null;
        this.isStopping = false;
        /** @type {Map<string, {dialog: import("./dialog.js").Dialog, owner: object}>} */
        this.dialogs = new Map();
        /** @type {Set<CallSession>} */
        this.sessions = new Set();
        /** @type {Set<Subscription>} */
        this.subscriptions = new Set();
        /** @type {Set<Publication>} */
        this.publications = new Set();
        this.incoming = new IncomingRequests(this);
        this.transactionLayer = new TransactionLayer({
            send: (text) => this.sendText(text), timers: this.timers, viaValue: () => this.viaValue,
            onRequest: (request, transaction) => this.incoming.receive(request, transaction),
            onCancel: (invite) => this.incoming.receiveCancel(invite), userAgentName: this.userAgentName,
        });
        this.registration = new Registration({
            core: this, expires: options.registerExpires ?? 600,
            listener: {
                onRegistered: () => {
                    this.reconnectAttempt = 0;
                    this.setState("registered");
                },
                onFailed: (info) => this.registrationFailed(info),
                onRetryableFailure: ({ reason }) => {
                    if (this.connection?.isOpen && !this.isStopping) this.scheduleRetry(reason);
                },
            },
        });
    }

    /** @returns {"stopped"|"connecting"|"registering"|"registered"|"reconnecting"|"failed"} */
    get state() {
        return this._state;
    }

    /** @returns {Function|undefined} the RTCPeerConnection constructor in use */
    get RTCPeerConnection() {
        return this.options.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    }

    /** @returns {Function|undefined} the MediaStream constructor in use */
    get MediaStream() {
        return this.options.MediaStream ?? globalThis.MediaStream;
    }

    /** Connects and registers; keeps the registration refreshed and reconnects with backoff. */
    start() {
        if (this._state !== "stopped" && this._state !== "failed") return;
        this.isStopping = false;
        this.reconnectAttempt = 0;
        if (typeof (this.options.WebSocket ?? globalThis.WebSocket) !== "function") {
            this.setState("failed", "WebSocket is not available");
            return;
        }
        this.setState("connecting");
        this.connect();
    }

    /**
     * Unregisters (REGISTER Expires: 0, bounded wait), ends calls and subscriptions, closes the socket.
     * No reconnect afterwards.
     * @returns {Promise<void>}
     */
    async stop() {
        if (this._state === "stopped") return;
        this.isStopping = true;
        this.clearRetryTimer();
        for (const session of [...this.sessions]) session.hangup();
        for (const subscription of [...this.subscriptions]) subscription.unsubscribe();
        for (const publication of [...this.publications]) publication.unpublish(); // RFC 3903 §4.5
        if (this.connection?.isOpen) await this.registration.unregister(STOP_TIMEOUT_MS);
        // A callee hangup still waiting for the ACK of its 2xx (RFC 3261 §15): the connection goes now, so the BYE
        // goes too rather than never.
        for (const session of [...this.sessions]) session.end("hangup");
        this.registration.stop();
        for (const subscription of [...this.subscriptions]) subscription.terminate("stopped");
        for (const publication of [...this.publications]) publication.close();
        this.closeConnection();
        this.setState("stopped");
    }

    /**
     * Sends an instant message (RFC 3428).
     * @param {string} target       "bob" (-> sip:bob@<domain of the AOR>) or a sip: URI
     * @param {string} body
     * @param {string} [contentType="text/plain"]
     * @returns {Promise<{status: number, reason: string}>} the final response (408 on timeout)
     * @throws {TypeError} for a malformed target; {Error} when the transport fails
     */
    async sendMessage(target, body, contentType = "text/plain") {
        const uri = this.resolveTarget(target);
        if (!this.connection?.isOpen) throw new Error("not connected");
        const request = this.createRequest("MESSAGE", uri);
        request.addHeader("Content-Type", contentType);
        request.body = String(body ?? "");
        return new Promise((resolve, reject) => {
            this.sendRequest(request, {
                onFinal: (response) => resolve({ status: response.status, reason: response.reason }),
                onFailure: (error) => {
                    if (error.status === 408) resolve({ status: 408, reason: "Request Timeout" });
                    else reject(new Error(`transport failure: ${error.message}`));
                },
            });
        });
    }

    /**
     * Subscribes to an event package (RFC 6665).
     * @param {string} target
     * @param {string} event        e.g. "presence"
     * @param {object} [options]
     * @param {string[]} [options.accept=[]]
     * @param {number} [options.expires=600]
     * @param {string[]} [options.supported=[]]   option tags for the Supported header, e.g. ["eventlist"]
     * @returns {Subscription}
     * @throws {TypeError} for a malformed target or event
     */
    subscribe(target, event, { accept = [], expires = 600, supported = [] } = {}) {
        const uri = this.resolveTarget(target);
        if (!isToken(String(event ?? "").split(";")[0].trim())) throw new TypeError("event must be a package name");
        const subscription = new Subscription(this, { target: uri, event, accept, expires, supported });
        this.subscriptions.add(subscription);
        // Started after subscribe() returns, so the caller's listeners see even an immediate failure.
        queueMicrotask(() => {
            if (subscription.state !== "terminated") subscription.start();
        });
        return subscription;
    }

    /**
     * Publishes event state of our AOR (RFC 3903); see Publication. Stopping the UA removes and closes it.
     * @param {object} [options]
     * @param {string} [options.event="presence"]
     * @param {number} [options.expires=3600]
     * @param {string} [options.contentType="application/pidf+xml"]
     * @returns {Publication}
     * @throws {TypeError} for a malformed event
     */
    createPublication({ event = "presence", expires = 3600, contentType = "application/pidf+xml" } = {}) {
        if (!isToken(String(event ?? "").split(";")[0].trim())) throw new TypeError("event must be a package name");
        const publication = new Publication(this,
            { target: SIPURI.parse(this.aorURI.addressOfRecord), event, expires, contentType });
        this.publications.add(publication);
        return publication;
    }

    /**
     * Places a call: the INVITE goes out once the offer is ready.
     * @param {string} target
     * @param {object} [options]
     * @param {MediaStream} [options.localStream]
     * @param {object} [options.rtcConfiguration]
     * @returns {CallSession} in state "calling"
     * @throws {TypeError} for a malformed target
     */
    call(target, { localStream, rtcConfiguration } = {}) {
        const uri = this.resolveTarget(target);
        const session = new CallSession(this, { direction: "outgoing", target: uri });
        this.sessions.add(session);
        session.guard(session.startOutgoing({ localStream, rtcConfiguration }));
        return session;
    }

    /**
     * "bob" -> sip:bob@<domain of the AOR>; "bob@example.org" and sip:/sips: URIs as given.
     * @returns {SIPURI}
     * @throws {TypeError}
     */
    resolveTarget(target) {
        if (target instanceof SIPURI) return target.clone();
        const text = typeof target === "string" ? target.trim() : "";
        if (text === "") throw new TypeError("target must be a user name or a sip: URI");
        try {
            if (/^sips?:/i.test(text)) return SIPURI.parse(text);
            if (text.includes("@")) return SIPURI.parse(`sip:${text}`);
            return new SIPURI({ user: escapeUser(text), host: this.aorURI.host, port: this.aorURI.port });
        } catch (error) {
            throw new TypeError(`invalid target "${text.slice(0, 80)}": ${error.message}`);
        }
    }

    // ----- connection -----

    async connect() {
        const connection = new WebSocketConnection({
            url: this.webSocketURL, WebSocket: this.options.WebSocket ?? globalThis.WebSocket, timers: this.timers,
        });
        this.connection = connection;
        connection.addEventListener("message", (event) => this.receiveText(event.detail.text));
        connection.addEventListener("close", (event) => this.connectionClosed(connection, event.detail));
        try {
            await connection.connect();
        } catch (error) {
            this.logger.debug("WebSocket connect failed", error);
            connection.close(4000, "connect failed");
            return;
        }
        if (this.connection !== connection || this.isStopping) return;
        this.setState("registering");
        this.registration.register();
    }

    connectionClosed(connection, { code }) {
        if (this.connection !== connection) return;
        this.connection = null;
        this.registration.stop();
        this.transactionLayer.failAll(new Error("connection closed"));
        if (this.isStopping || this._state === "failed" || this._state === "stopped") return;
        this.scheduleRetry(`connection lost (${code})`);
    }

    /** Waits 1 s, 2 s, 4 s ... at most 30 s (less up to 25 % jitter), then reconnects or registers again. */
    scheduleRetry(reason) {
        this.clearRetryTimer();
        this.registration.cancelRefresh();
        const base = Math.min(MAX_RECONNECT_DELAY_MS, 1000 * 2 ** Math.min(this.reconnectAttempt, 15));
        const delay = Math.round(base * (1 - 0.25 * this.random()));
        this.reconnectAttempt += 1;
        this.setState("reconnecting", reason);
        this.retryTimer = this.timers.setTimeout(() => {
            this.retryTimer = null;
            if (this.isStopping) return;
            if (this.connection?.isOpen) {
                this.setState("registering");
                this.registration.register();
            } else {
                this.connect();
            }
        }, delay);
    }

    clearRetryTimer() {
        if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
        this.retryTimer = null;
    }

    registrationFailed({ status, reasonPhrase, authFailed }) {
        if (authFailed) this.dispatchEvent(new CustomEvent("authfailed", { detail: { status, reason: reasonPhrase } }));
        this.setState("failed", `${status} ${reasonPhrase}`);
        this.closeConnection();
    }

    closeConnection() {
        const connection = this.connection;
        this.connection = null;
        this.registration.stop();
        connection?.close(1000, "bye");
        this.transactionLayer.failAll(new Error("connection closed"));
    }

    sendText(text) {
        if (!this.connection?.isOpen) throw new Error("not connected");
        this.connection.send(text);
    }

    setState(state, reason = null) {
        if (this._state === state && state !== "reconnecting") return;
        this._state = state;
        this.dispatchEvent(new CustomEvent("statechange", { detail: { state, reason } }));
    }

    // ----- requests we send (internal interface of CallSession, Subscription, Registration) -----

    /**
     * A request outside any dialog, without Via (added by the transaction layer).
     * @returns {SIPRequest}
     */
    createRequest(method, uri, { callId = newCallId(), fromTag = newTag(), cseq = 1 } = {}) {
        const request = new SIPRequest(method, uri.clone());
        const to = uri.clone();
        to.params.clear();
        to.headers.clear();
        request.addHeader("Max-Forwards", "70");
        request.addHeader("To", `<${to}>`);
        request.addHeader("From", `${this.fromAddress};tag=${fromTag}`);
        request.addHeader("Call-ID", callId);
        request.addHeader("CSeq", `${cseq} ${method}`);
        return request;
    }

    /**
     * Sends a request, answering our realm's digest challenges. A refusal of our credentials reaches onFinal
     * with info.authFailed; only the Registration turns it into "authfailed" (a refused INVITE or MESSAGE just
     * ends that request).
     * @returns {RequestSender}
     */
    sendRequest(request, { nextCSeq, onProvisional, onFinal, onFailure }) {
        const sender = new RequestSender({
            transactionLayer: this.transactionLayer, authenticator: this.authenticator, realm: this.realm,
            request, nextCSeq, handlers: { onProvisional, onFinal, onFailure },
        });
        sender.start();
        return sender;
    }

    /** Our Contact (RFC 5626 §4.2: +sip.instance and reg-id on REGISTER). */
    contactValue({ forRegister = false } = {}) {
        const base = `<${this.contactURI}>`;
        return forRegister ? `${base};+sip.instance="${this.instanceURN}";reg-id=1` : base;
    }

    addDialog(dialog, owner) {
        this.dialogs.set(dialog.id, { dialog, owner });
    }

    removeDialog(dialog) {
        if (this.dialogs.get(dialog.id)?.dialog === dialog) this.dialogs.delete(dialog.id);
    }

    forgetSession(session) {
        this.sessions.delete(session);
    }

    forgetSubscription(subscription) {
        this.subscriptions.delete(subscription);
    }

    forgetPublication(publication) {
        this.publications.delete(publication);
    }

    // ----- what the far end sends -----

    receiveText(text) {
        let message;
        try {
            message = SIPParser.parse(text);
        } catch (error) {
            if (!(error instanceof SIPParseError)) {
                this.logger.warn("SIP parser failed:", error);
                return;
            }
            this.logger.debug("SIP message dropped:", error.message);
            // RFC 3261 §8.2: a request that can still be answered gets 400; anything else is dropped.
            const partial = error.partial;
            if (partial && partial.method !== "ACK") {
                const reason = `Bad Request (${error.message})`;
                this.transactionLayer.sendStatelessResponse(SIPResponse.replyingTo(partial, 400, reason));
            }
            return;
        }
        try {
            this.transactionLayer.receive(message);
        } catch (error) {
            // A malformed optional header found late, or a bug: never let it take the UA down.
            this.logger.warn("SIP message not handled:", error);
        }
    }
}

/** Escapes what a SIP user part cannot hold (RFC 3261 §25.1 user: unreserved / escaped / user-unreserved). */
function escapeUser(text) {
    return [...new TextEncoder().encode(text)].map((byte) => {
        const character = String.fromCharCode(byte);
        return /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/.test(character) && byte < 128 ? character :
            "%" + byte.toString(16).toUpperCase().padStart(2, "0");
    }).join("");
}
