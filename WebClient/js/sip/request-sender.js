// Sends one request through a client transaction and answers 401/407 challenges of our own realm
// (RFC 3261 §22.2, §22.3). A challenge from any other realm (a device or proxy beyond Parley) is not ours to
// answer: it ends the request like any other final response.
import { DigestChallenge } from "./digest-challenge.js";

/** Upper bound of challenges answered for one request (stale nonces included): no endless loop. */
const MAX_AUTH_ATTEMPTS = 4;

export class RequestSender {
    /**
     * @param {object} options
     * @param {import("./transaction-layer.js").TransactionLayer} options.transactionLayer
     * @param {import("./digest.js").DigestAuthenticator} options.authenticator
     * @param {string} options.realm   the realm our credentials belong to; only its challenges are answered
     * @param {import("./sip-request.js").SIPRequest} options.request   without Via (a branch is added per try)
     * @param {() => number} [options.nextCSeq]   CSeq of a resent request (RFC 3261 §22.2: incremented)
     * @param {object} options.handlers
     * @param {(response) => void} [options.handlers.onProvisional]
     * @param {(response, info: {authFailed: boolean}) => void} options.handlers.onFinal
     *     every final response except the challenges answered here; authFailed when our realm refused the
     *     credentials we sent (a challenge from another realm is a plain final response, authFailed false)
     * @param {(error: Error) => void} options.handlers.onFailure  transport error or timeout (error.status 503/408)
     */
    constructor({ transactionLayer, authenticator, realm, request, nextCSeq, handlers }) {
        this.transactionLayer = transactionLayer;
        this.authenticator = authenticator;
        this.realm = realm;
        this.request = request;
        this.nextCSeq = nextCSeq ?? (() => this.request.cseq.seq + 1);
        this.handlers = handlers;
        this.transaction = null;
        this.authAttempts = 0;
        /** @type {Map<string, {header: string, value: string}>} "401|realm" -> credentials sent */
        this.credentials = new Map();
        this.isAborted = false;
        this.isDone = false;
        this.mayRetry = true;
    }

    /** Sends the request. */
    start() {
        const request = this.request;
        this.transaction = this.transactionLayer.sendRequest(request, {
            onResponse: (response) => this.receive(response, request),
            onTimeout: () => this.fail(Object.assign(new Error("Request Timeout"), { status: 408 })),
            onTransportError: (error) => this.fail(Object.assign(new Error(error?.message ?? "transport error"),
                { status: 503 })),
        });
    }

    /** Challenges are no longer answered (they reach onFinal): e.g. the call was hung up before an answer. */
    stopRetrying() {
        this.mayRetry = false;
    }

    /** Stops answering challenges and reporting (the TU has lost interest). */
    abort() {
        this.isAborted = true;
    }

    receive(response, sentRequest) {
        if (this.isAborted || sentRequest !== this.request) return;
        if (response.status < 200) {
            this.handlers.onProvisional?.(response);
            return;
        }
        if (response.status === 401 || response.status === 407) {
            this.answerChallenge(response).catch(() => this.finish(response, { authFailed: false }));
            return;
        }
        this.finish(response, { authFailed: false });
    }

    async answerChallenge(response) {
        const isProxy = response.status === 407;
        const header = isProxy ? "Proxy-Authenticate" : "WWW-Authenticate";
        const challenge = DigestChallenge.choose(response.getHeaders(header), { realm: this.realm });
        if (challenge === null || this.authAttempts >= MAX_AUTH_ATTEMPTS || !this.mayRetry) {
            this.finish(response, { authFailed: false });
            return;
        }
        const slot = `${response.status}|${challenge.realm}`;
        // A new non-stale challenge for credentials we already sent means they were refused (RFC 3261 §22.2).
        if (this.credentials.has(slot) && !challenge.stale) {
            this.finish(response, { authFailed: true });
            return;
        }
        this.authAttempts += 1;
        const retry = this.request.clone();
        retry.removeHeader("Via");
        retry.setHeader("CSeq", `${this.nextCSeq()} ${retry.method}`);
        const credentialsHeader = isProxy ? "Proxy-Authorization" : "Authorization";
        const value = await this.authenticator.authorize(retry, challenge);
        this.credentials.set(slot, { header: credentialsHeader, value });
        if (this.isAborted || !this.mayRetry) {
            this.finish(response, { authFailed: false });
            return;
        }
        retry.removeHeader("Authorization").removeHeader("Proxy-Authorization");
        for (const { header: name, value } of this.credentials.values()) retry.addHeader(name, value);
        this.request = retry;
        this.start();
    }

    finish(response, info) {
        if (this.isDone || this.isAborted) return;
        // A forked INVITE can bring several 2xx; each reaches the TU, which acknowledges them.
        if (!(this.request.method === "INVITE" && response.status < 300)) this.isDone = true;
        this.handlers.onFinal(response, info);
    }

    fail(error) {
        if (this.isDone || this.isAborted) return;
        this.isDone = true;
        this.handlers.onFailure(error);
    }
}
