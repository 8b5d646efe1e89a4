// Sign-in, reload and sign-out decisions, and the lifetime of the SIP user agent that goes with a session.
// No DOM here: the API client, the credential store and the user agent factory are injected.

import { ApiError } from "./api-client.js";

const DEFAULT_STOP_TIMEOUT_MS = 5000;

/**
 * @typedef {object} Account
 * @property {string} user
 * @property {string|null} displayName
 * @property {string} aor
 * @property {string} domain
 * @property {number|null} expiresAt
 * @property {{authUsername: string, password: string, realm: string, webSocketURL: string}} sip
 */

/** Owns the signed-in account and its UserAgent. */
export class SessionController {
    /**
     * @param {object} options
     * @param {import("./api-client.js").ApiClient} options.api
     * @param {import("./credential-store.js").CredentialStore} options.credentials
     * @param {(options: object) => object} options.createUserAgent builds a UserAgent from its constructor options
     * @param {object} [options.timers] {setTimeout, clearTimeout} bounding the wait for UserAgent.stop()
     * @param {number} [options.stopTimeoutMs=5000]
     */
    constructor({ api, credentials, createUserAgent, timers = globalThis, stopTimeoutMs = DEFAULT_STOP_TIMEOUT_MS }) {
        this._api = api;
        this._credentials = credentials;
        this._createUserAgent = createUserAgent;
        this._timers = timers;
        this._stopTimeoutMs = stopTimeoutMs;
        this._account = null;
        this._userAgent = null;
    }

    /** @returns {Account|null} the signed-in account */
    get account() {
        return this._account;
    }

    /** @returns {object|null} the running UserAgent */
    get userAgent() {
        return this._userAgent;
    }

    /**
     * On page load: GET /api/session; with a valid session, reuse the SIP key this browser saved for the same
     * user (every tab shares it), and ask for a new one (POST /api/session/key, which replaces the key for
     * all tabs) only when none is saved.
     * @returns {Promise<{account: Account|null, error: string}>} account null means "show the sign-in form"
     *   (error is "" when there simply is no session)
     */
    async resume() {
        let session;
        try {
            session = await this._api.getSession();
        } catch (error) {
            // Only a refused cookie makes the saved key useless; after a network failure it may still work.
            if (error instanceof ApiError && error.kind === "unauthorized") this._credentials.clearSIP();
            return { account: null, error: resumeErrorText(error) };
        }
        const saved = this._credentials.loadSIP(session.user);
        if (saved) {
            this._account = { ...session, sip: saved };
            return { account: this._account, error: "" };
        }
        try {
            const signIn = await this._api.renewKey();
            this._credentials.saveSIP(signIn.user, signIn.sip);
            this._account = signIn;
            return { account: signIn, error: "" };
        } catch (error) {
            return { account: null, error: resumeErrorText(error) };
        }
    }

    /**
     * POST /api/session and keeps the SIP credentials for reloads and the other tabs of this browser.
     * @param {string} user
     * @param {string} password
     * @returns {Promise<Account>}
     * @throws {ApiError}
     */
    async signIn(user, password) {
        const signIn = await this._api.signIn(user, password);
        this._credentials.saveSIP(signIn.user, signIn.sip);
        this._account = signIn;
        return signIn;
    }

    /**
     * Creates and starts the UserAgent of the signed-in account (stopping none: call stopUserAgent first).
     * @returns {object} the UserAgent
     * @throws {Error} when nobody is signed in or a user agent already runs
     */
    startUserAgent() {
        const account = this._account;
        if (!account) throw new Error("startUserAgent needs a signed-in account");
        if (this._userAgent) throw new Error("a user agent is already running");
        const options = {
            webSocketURL: account.sip.webSocketURL,
            aor: account.aor,
            authUsername: account.sip.authUsername,
            password: account.sip.password,
            instanceId: this._credentials.instanceId(),
        };
        // Only challenges of Parley's realm are answered with these credentials.
        if (account.sip.realm) options.realm = account.sip.realm;
        if (account.displayName) options.displayName = account.displayName;
        const userAgent = this._createUserAgent(options);
        this._userAgent = userAgent;
        userAgent.start();
        return userAgent;
    }

    /**
     * Stops the UserAgent (REGISTER Expires: 0), waiting at most stopTimeoutMs; never throws.
     * @returns {Promise<void>}
     */
    async stopUserAgent() {
        const userAgent = this._userAgent;
        this._userAgent = null;
        if (!userAgent) return;
        let timer = null;
        const timeout = new Promise((resolve) => {
            timer = this._timers.setTimeout(resolve, this._stopTimeoutMs);
        });
        try {
            await Promise.race([Promise.resolve().then(() => userAgent.stop()), timeout]);
        } catch {
            // A failed un-REGISTER only leaves a binding that expires by itself.
        } finally {
            this._timers.clearTimeout(timer);
        }
    }

    /**
     * The server refused the SIP key: stop, forget the key, keep nobody signed in on this page. A newer key
     * that another tab saved meanwhile is left for the other tabs.
     * @returns {Promise<void>}
     */
    async dropCredentials() {
        const refused = this._account?.sip ?? null;
        await this.stopUserAgent();
        this._credentials.clearSIP({ onlyIf: refused });
        this._account = null;
    }

    /**
     * Sign-out: await UserAgent.stop(), DELETE /api/session, forget the SIP key. Never throws.
     * @returns {Promise<{serverError: string}>} serverError is "" unless DELETE failed (local state is cleared anyway)
     */
    async signOut() {
        await this.stopUserAgent();
        let serverError = "";
        try {
            await this._api.signOut();
        } catch (error) {
            // 401 means the session was already gone: that is the wanted outcome.
            if (!(error instanceof ApiError && error.kind === "unauthorized")) {
                serverError = error instanceof Error ? error.message : String(error);
            }
        }
        this._credentials.clearSIP();
        this._account = null;
        return { serverError };
    }
}

/**
 * The sign-in form's message after a failed resume ("" when the visitor simply is not signed in).
 * @param {unknown} error
 * @returns {string}
 */
export function resumeErrorText(error) {
    if (error instanceof ApiError) {
        if (error.kind === "unauthorized") return "";
        return error.message;
    }
    return "The saved session could not be restored. Please sign in.";
}
