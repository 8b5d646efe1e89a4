// Event state publication (RFC 3903): PUBLISH, refresh, modify and remove of one piece of event state, e.g. the
// user's presence document. One PUBLISH at a time: what the caller wants is remembered, and the next request is
// chosen from it once the previous one is answered.
import { newCallId, newTag } from "./random.js";
import { parseSeconds } from "./sip-message.js";

/** Statuses after which the same request may work later (RFC 3261 §21: timeouts, overload, server errors). */
const RETRYABLE_STATUSES = new Set([408, 480, 500, 502, 503, 504]);
/** Bounds of the automatic answers to 412 and 423, so that a confused server cannot keep us looping. */
const MAX_CONDITIONAL_RETRIES = 3;
const MAX_INTERVAL_RETRIES = 3;
const FIRST_RETRY_DELAY_MS = 5000;
const MAX_RETRY_DELAY_MS = 5 * 60_000;

/**
 * Created by UserAgent.createPublication(). Events (CustomEvent):
 * "published" {etag, expires} after each 2xx that keeps state, "unpublished" {} after the removal's 2xx,
 * "failed" {status, reason, willRetry} when a request fails (willRetry: a timer or the next registration will
 * try again; otherwise only a new publish()/unpublish() or a new registration does).
 */
export class Publication extends EventTarget {
    /**
     * @param {object} core   the UserAgent (internal interface): createRequest, sendRequest, state, timers,
     *                        addEventListener("statechange"), forgetPublication
     * @param {object} options
     * @param {import("./sip-uri.js").SIPURI} options.target   the presentity, usually our AOR
     * @param {string} [options.event="presence"]
     * @param {number} [options.expires=3600]   requested lifetime in seconds
     * @param {string} [options.contentType="application/pidf+xml"]
     */
    constructor(core, { target, event = "presence", expires = 3600, contentType = "application/pidf+xml" }) {
        super();
        this.core = core;
        this.target = target;
        this.event = event;
        this.expires = expires;
        this.contentType = contentType;
        this.callId = newCallId();
        this.fromTag = newTag();
        this.cseq = 0;
        /** The body the caller wants published; null: none (removed or never published). */
        this.desiredBody = null;
        /** The body the server holds as far as we know; null when unknown (e.g. after a reconnect). */
        this.publishedBody = null;
        /** RFC 3903 §4.1: the entity-tag of our publication, from the last 2xx. */
        this.etag = null;
        this.grantedExpires = null;
        this.isRefreshDue = false;
        this.inFlight = null;
        /** Resolvers of publish()/unpublish() calls waiting for the next request to be answered. */
        this.waiters = [];
        this.isHalted = false;
        this.isClosed = false;
        this.conditionalRetries = 0;
        this.intervalRetries = 0;
        this.failureCount = 0;
        this.refreshTimer = null;
        this.retryTimer = null;
        this.listeners = new AbortController();
        // A new registration (first one, or after a reconnect) may mean a new flow: send the state again.
        core.addEventListener("statechange", (event) => {
            if (event.detail?.state === "registered") this.registered();
        }, { signal: this.listeners.signal });
    }

    /** @returns {"idle"|"publishing"|"published"|"failed"|"closed"} */
    get state() {
        if (this.isClosed) return "closed";
        if (this.inFlight !== null) return "publishing";
        if (this.isHalted) return "failed";
        return this.etag !== null ? "published" : "idle";
    }

    /**
     * Publishes `body`: the first PUBLISH goes without SIP-If-Match (RFC 3903 §4.2); once there is an entity-tag,
     * a new body modifies the publication (SIP-If-Match and the body, §4.4). The state is then refreshed before it
     * expires and published again after each new registration. While the UA is not registered the PUBLISH waits;
     * a pending retry timer is cancelled and the request goes at once (after the one in flight, if any).
     * @param {string} body
     * @returns {Promise<{status: number, reason: string}>} the answer to the PUBLISH that carried this body (or
     *     a later one that replaced it before it was sent); status 0 when the publication is closed first
     * @throws {TypeError} for an empty or non-string body
     */
    publish(body) {
        if (typeof body !== "string" || body === "") throw new TypeError("the body must be a non-empty string");
        if (this.isClosed) return Promise.resolve({ status: 0, reason: "closed" });
        this.desiredBody = body;
        this.isHalted = false;
        // A new wish does not wait out the backoff of an older request: it goes now (still one at a time).
        this.clearTimer("retryTimer");
        return this.waitForNextAnswer();
    }

    /**
     * Removes the published state (RFC 3903 §4.5: SIP-If-Match and Expires: 0). Resolves at once when nothing
     * is published.
     * @returns {Promise<{status: number, reason: string}>}
     */
    unpublish() {
        if (this.isClosed) return Promise.resolve({ status: 0, reason: "closed" });
        this.desiredBody = null;
        this.isHalted = false;
        this.isRefreshDue = false;
        this.clearTimer("refreshTimer");
        this.clearTimer("retryTimer");
        return this.waitForNextAnswer();
    }

    /** Stops everything without a request: timers, listeners; waiting calls resolve with status 0. */
    close() {
        if (this.isClosed) return;
        this.isClosed = true;
        this.clearTimer("refreshTimer");
        this.clearTimer("retryTimer");
        this.listeners.abort();
        const waiters = [...this.waiters, ...(this.inFlight?.waiters ?? [])];
        this.waiters = [];
        this.inFlight = null;
        for (const resolve of waiters) resolve({ status: 0, reason: "closed" });
        this.core.forgetPublication?.(this);
    }

    // ----- internals -----

    waitForNextAnswer() {
        return new Promise((resolve) => {
            this.waiters.push(resolve);
            this.pump();
        });
    }

    /** The request that brings the server to what the caller wants, or null when it is there already. */
    nextRequest() {
        if (this.desiredBody !== null) {
            if (this.etag === null) return { kind: "initial", body: this.desiredBody };
            if (this.publishedBody !== this.desiredBody) return { kind: "modify", body: this.desiredBody };
            if (this.isRefreshDue) return { kind: "refresh", body: null };
            return null;
        }
        return this.etag !== null ? { kind: "remove", body: null } : null;
    }

    /** Sends the next request if none is in flight and the UA can send. */
    pump() {
        if (this.isClosed || this.inFlight !== null || this.isHalted || this.retryTimer !== null) return;
        const next = this.nextRequest();
        if (next === null) {
            this.resolveWaiters(this.waiters.splice(0), { status: 200, reason: "OK" });
            return;
        }
        if (this.core.state !== "registered") return; // registered() calls pump() again
        this.send(next);
    }

    send(operation) {
        const request = this.core.createRequest("PUBLISH", this.target,
            { callId: this.callId, fromTag: this.fromTag, cseq: this.nextCSeq() });
        request.addHeader("Event", this.event);
        // RFC 3903 §4.5: Expires 0 removes; otherwise our requested lifetime.
        request.addHeader("Expires", String(operation.kind === "remove" ? 0 : this.expires));
        if (operation.kind !== "initial") request.addHeader("SIP-If-Match", this.etag);
        if (operation.body !== null) {
            request.addHeader("Content-Type", this.contentType);
            request.body = operation.body;
        }
        const flight = { operation, waiters: this.waiters.splice(0) };
        this.inFlight = flight;
        if (operation.kind === "refresh") this.isRefreshDue = false;
        this.core.sendRequest(request, {
            nextCSeq: () => this.nextCSeq(),
            onFinal: (response) => this.receiveFinal(flight, response),
            onFailure: (error) => this.receiveFailure(flight, error),
        });
    }

    nextCSeq() {
        this.cseq += 1;
        return this.cseq;
    }

    receiveFinal(flight, response) {
        if (this.inFlight !== flight) return;
        this.inFlight = null;
        const { status, reason } = response;
        const { operation } = flight;
        if (status >= 200 && status < 300) {
            this.succeeded(flight, response);
            return;
        }
        if (status === 412) {
            // RFC 3903 §6: the entity-tag is unknown (the state expired or the server restarted): publish afresh.
            this.etag = null;
            this.publishedBody = null;
            this.clearTimer("refreshTimer");
            if (this.desiredBody !== null && this.conditionalRetries < MAX_CONDITIONAL_RETRIES) {
                this.conditionalRetries += 1;
                this.retryWith(flight);
                return;
            }
            if (this.desiredBody === null) {
                // A removal of state the server no longer has: nothing is left to remove.
                this.resolveWaiters(flight.waiters, { status, reason });
                this.pump();
                return;
            }
        }
        if (status === 423 && operation.kind !== "remove" && this.intervalRetries < MAX_INTERVAL_RETRIES) {
            // RFC 3903 §4.1, RFC 3261 §10.2.8: ask again for at least Min-Expires.
            const minimum = parseSeconds(response.getHeader("Min-Expires"));
            if (minimum !== null && minimum > this.expires) {
                this.intervalRetries += 1;
                this.expires = minimum;
                this.retryWith(flight);
                return;
            }
        }
        this.failed(flight, status, reason, RETRYABLE_STATUSES.has(status));
    }

    receiveFailure(flight, error) {
        if (this.inFlight !== flight) return;
        this.inFlight = null;
        // A lost connection: the next registration publishes again. A timeout on a live one: a timer does.
        this.failed(flight, error.status ?? 503, error.message ?? "transport failure", true);
    }

    succeeded(flight, response) {
        const { operation } = flight;
        this.conditionalRetries = 0;
        this.intervalRetries = 0;
        this.failureCount = 0;
        if (operation.kind === "remove") {
            this.clearTimer("refreshTimer");
            this.etag = null;
            this.publishedBody = null;
            this.grantedExpires = null;
            this.resolveWaiters(flight.waiters, { status: response.status, reason: response.reason });
            this.dispatchEvent(new CustomEvent("unpublished", { detail: {} }));
            this.pump();
            return;
        }
        const etag = response.getHeader("SIP-ETag")?.trim();
        if (!etag) {
            // RFC 3903 §6: a 2xx carries SIP-ETag; without one we could neither refresh nor remove.
            this.etag = null;
            this.publishedBody = null;
            this.failed(flight, 500, "2xx without SIP-ETag", false);
            return;
        }
        this.etag = etag;
        if (operation.body !== null) this.publishedBody = operation.body;
        // RFC 3903 §6: the 2xx says for how long the state is kept.
        const granted = response.expires;
        this.grantedExpires = granted !== null && granted > 0 ? granted : this.expires;
        this.scheduleRefresh(this.grantedExpires);
        this.resolveWaiters(flight.waiters, { status: response.status, reason: response.reason });
        this.dispatchEvent(new CustomEvent("published", { detail: { etag, expires: this.grantedExpires } }));
        this.pump();
    }

    /** The same callers wait for the request that replaces this one (after 412 or 423). */
    retryWith(flight) {
        this.waiters.unshift(...flight.waiters);
        this.pump();
    }

    failed(flight, status, reason, isRetryable) {
        this.resolveWaiters(flight.waiters, { status, reason });
        let willRetry = isRetryable;
        if (isRetryable && this.core.state === "registered") {
            const delay = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(this.failureCount, 10));
            this.failureCount += 1;
            this.retryTimer = this.core.timers.setTimeout(() => {
                this.retryTimer = null;
                this.pump();
            }, delay);
        } else if (!isRetryable && this.waiters.length === 0) {
            // Nothing more to try until the caller asks again (or the UA registers again).
            this.isHalted = true;
        }
        this.dispatchEvent(new CustomEvent("failed", { detail: { status, reason, willRetry } }));
        this.pump(); // a call that came in meanwhile still gets its own request
    }

    /** RFC 3903 §4.3: refresh before the state expires (half-way for short lifetimes, a minute early otherwise). */
    scheduleRefresh(seconds) {
        this.clearTimer("refreshTimer");
        const delay = Math.max(seconds / 2, seconds - 60) * 1000;
        this.refreshTimer = this.core.timers.setTimeout(() => {
            this.refreshTimer = null;
            this.isRefreshDue = true;
            this.pump();
        }, delay);
    }

    /** A new registration: whatever we believed the server held is sent again (with SIP-If-Match if we can). */
    registered() {
        if (this.isClosed) return;
        this.isHalted = false;
        this.failureCount = 0;
        this.clearTimer("retryTimer");
        this.publishedBody = null;
        this.pump();
    }

    resolveWaiters(waiters, result) {
        for (const resolve of waiters) resolve(result);
    }

    clearTimer(name) {
        if (this[name] !== null) this.core.timers.clearTimeout(this[name]);
        this[name] = null;
    }
}
