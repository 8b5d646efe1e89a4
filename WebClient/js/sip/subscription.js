// A subscription to an event package (RFC 6665): SUBSCRIBE, refresh, NOTIFY, unsubscribe.
import { parseParameters, unquote } from "./grammar.js";
import { Dialog } from "./dialog.js";
import { newCallId, newTag } from "./random.js";
import { parseSeconds } from "./sip-message.js";
import { SIPResponse } from "./sip-response.js";
import { TRANSACTION_TIMEOUT } from "./timer-values.js";

/**
 * Events (CustomEvent): "notify" {state, contentType, body, reason, expires}, "terminated" {reason, retryAfter?}
 * (once). `reason` is "unsubscribed" whenever we ended it ourselves; `retryAfter` (seconds) is there when the final
 * NOTIFY's Subscription-State had a retry-after parameter (RFC 6665 §4.1.3).
 */
export class Subscription extends EventTarget {
    /**
     * Created by UserAgent.subscribe(); not meant to be constructed by the UI.
     * @param {object} core   the UserAgent (internal interface)
     * @param {object} options
     * @param {import("./sip-uri.js").SIPURI} options.target
     * @param {string} options.event       event package, e.g. "presence"
     * @param {string[]} [options.accept]  media types for the Accept header
     * @param {number} [options.expires]
     * @param {string[]} [options.supported]  option tags for the Supported header (RFC 4662 §4.1: eventlist)
     */
    constructor(core, { target, event, accept = [], expires = 600, supported = [] }) {
        super();
        this.core = core;
        this.target = target;
        this.event = event;
        this.accept = accept;
        this.supported = supported;
        this.expires = expires;
        this.callId = newCallId();
        this.localTag = newTag();
        this.cseq = 0;
        this.dialog = null;
        this._state = "subscribing";
        this.timers = new Map();
        this.isUnsubscribing = false;
    }

    /** @returns {"subscribing"|"pending"|"active"|"terminated"} */
    get state() {
        return this._state;
    }

    /** The event package name without parameters, lower-cased (RFC 6665 §8.2.1 compares it that way). */
    get eventType() {
        return this.event.split(";")[0].trim().toLowerCase();
    }

    /** Sends the initial SUBSCRIBE (called by UserAgent.subscribe()). */
    start() {
        const request = this.core.createRequest("SUBSCRIBE", this.target,
            { callId: this.callId, fromTag: this.localTag, cseq: this.cseq + 1 });
        this.cseq = request.cseq.seq;
        this.send(request, this.expires);
    }

    /** Ends the subscription: SUBSCRIBE with Expires: 0 (RFC 6665 §4.1.2.3); "terminated" follows. */
    unsubscribe() {
        if (this._state === "terminated" || this.isUnsubscribing) return;
        this.isUnsubscribing = true;
        this.clearTimer("refresh");
        // Bounded wait for the final NOTIFY (RFC 6665 §4.1.2.3).
        this.startTimer("unsubscribe", TRANSACTION_TIMEOUT, () => this.terminate("unsubscribed"));
        // Before the first 2xx there is no dialog yet: the unsubscribe goes out when it comes.
        if (this.dialog !== null) this.sendInDialog(0);
    }

    send(request, expires) {
        request.addHeader("Event", this.event);
        if (this.accept.length > 0) request.addHeader("Accept", this.accept.join(", "));
        if (this.supported.length > 0) request.addHeader("Supported", this.supported.join(", "));
        request.addHeader("Expires", String(expires));
        request.addHeader("Contact", this.core.contactValue());
        request.addHeader("Allow", this.core.allowValue);
        this.core.sendRequest(request, {
            nextCSeq: () => this.nextCSeq(),
            onFinal: (response) => this.receiveFinal(request, response, expires),
            onFailure: (error) => this.receiveFailure(expires, `${error.status} ${error.message}`),
        });
    }

    sendInDialog(expires) {
        this.send(this.dialog.createRequest("SUBSCRIBE", { seq: this.nextCSeq() }), expires);
    }

    nextCSeq() {
        this.cseq = Math.max(this.cseq, this.dialog?.localSeq ?? 0) + 1;
        if (this.dialog) this.dialog.localSeq = this.cseq;
        return this.cseq;
    }

    receiveFinal(request, response, expires) {
        if (this._state === "terminated") return;
        const status = response.status;
        if (status >= 300) {
            if (status === 423 && expires > 0 && this.dialog === null) {
                const minimum = parseSeconds(response.getHeader("Min-Expires"));
                if (minimum !== null && minimum > this.expires) {
                    this.expires = minimum;
                    this.start();
                    return;
                }
            }
            // RFC 6665 §4.1.2.2: a failed refresh other than 481 leaves the subscription until it expires.
            if (this.dialog === null || expires === 0 || status === 481) {
                this.terminate(this.ownReason(`${status} ${response.reason}`));
            }
            return;
        }
        if (this.dialog === null) {
            try {
                this.adoptDialog(Dialog.asClient(request, response));
            } catch {
                this.terminate("2xx without Contact or To tag");
                return;
            }
        }
        if (this.isUnsubscribing && expires > 0) {
            this.sendInDialog(0);
            return;
        }
        if (expires > 0) this.scheduleRefresh(response.expires ?? expires);
    }

    receiveFailure(expires, reason) {
        if (this.dialog === null || expires === 0) this.terminate(this.ownReason(reason));
    }

    /**
     * What the notifier says ends the subscription, unless we were ending it ourselves: then it is
     * "unsubscribed", whatever reason the final NOTIFY or the answer gives (Parley: reason=timeout).
     * @param {string} reason
     * @returns {string}
     */
    ownReason(reason) {
        return this.isUnsubscribing ? "unsubscribed" : reason;
    }

    /** Does this NOTIFY belong here though no dialog exists yet (it may precede the 2xx, RFC 6665 §4.1.2.4)? */
    matchesNotify(request) {
        return this.dialog === null && request.callId === this.callId && request.to.tag === this.localTag;
    }

    /**
     * A NOTIFY for this subscription (routed by the UserAgent): answered 200, reported, maybe terminating.
     * @param {import("./sip-request.js").SIPRequest} request
     * @param {import("./server-transaction.js").ServerTransaction} transaction
     */
    receiveRequest(request, transaction) {
        if (request.method !== "NOTIFY") {
            transaction.respond(SIPResponse.methodNotAllowed(request, this.core.allowValue));
            return;
        }
        const eventType = (request.getHeader("Event") ?? "").split(";")[0].trim().toLowerCase();
        if (eventType !== this.eventType) {
            transaction.respond(SIPResponse.replyingTo(request, 489)); // RFC 6665 §4.1.3
            return;
        }
        const stateHeader = request.getHeader("Subscription-State");
        let state;
        let params;
        try {
            state = (stateHeader ?? "").split(";")[0].trim().toLowerCase();
            params = parseParameters(stateHeader.slice(stateHeader.split(";")[0].length));
            if (state === "") throw new Error("empty");
        } catch {
            transaction.respond(SIPResponse.replyingTo(request, 400, "Bad Request (Subscription-State)"));
            return;
        }
        if (this.dialog === null) {
            try {
                // RFC 6665 §4.1.2.4: the NOTIFY creates the dialog when it beats the 2xx.
                const dialog = Dialog.asServer(request, this.localTag);
                dialog.localSeq = this.cseq;
                this.adoptDialog(dialog);
            } catch (error) {
                transaction.respond(SIPResponse.replyingTo(request, 400, `Bad Request (${error.message})`));
                return;
            }
        }
        transaction.respond(SIPResponse.replyingTo(request, 200));
        const reason = params.has("reason") ? unquote(params.get("reason")) : null;
        const expires = parseSeconds(params.get("expires"));
        this.dispatchEvent(new CustomEvent("notify", {
            detail: { state, contentType: request.getHeader("Content-Type"), body: request.body, reason, expires },
        }));
        if (state === "terminated") {
            this.terminate(this.ownReason(reason ?? "terminated"),
                { retryAfter: this.isUnsubscribing ? null : parseSeconds(params.get("retry-after")) });
            return;
        }
        if (state === "active" || state === "pending") this._state = state;
        if (expires !== null && !this.isUnsubscribing) this.scheduleRefresh(expires);
    }

    adoptDialog(dialog) {
        this.dialog = dialog;
        this.core.addDialog(dialog, this);
    }

    /** Refresh before expiry: at half the time for short subscriptions, a minute ahead for long ones. */
    scheduleRefresh(seconds) {
        const refreshAt = Math.max(seconds / 2, seconds - 60);
        this.startTimer("refresh", refreshAt * 1000, () => this.sendInDialog(this.expires));
        this.startTimer("expiry", seconds * 1000, () => this.terminate("timeout"));
    }

    startTimer(name, delay, action) {
        this.clearTimer(name);
        this.timers.set(name, this.core.timers.setTimeout(() => {
            this.timers.delete(name);
            if (this._state !== "terminated") action();
        }, delay));
    }

    clearTimer(name) {
        if (this.timers.has(name)) this.core.timers.clearTimeout(this.timers.get(name));
        this.timers.delete(name);
    }

    /**
     * Final state: timers stopped, dialog forgotten, "terminated" dispatched once.
     * @param {string} reason
     * @param {{retryAfter?: number|null}} [options] RFC 6665 §4.1.3 retry-after of the final NOTIFY
     */
    terminate(reason, { retryAfter = null } = {}) {
        if (this._state === "terminated") return;
        this._state = "terminated";
        for (const name of [...this.timers.keys()]) this.clearTimer(name);
        if (this.dialog) this.core.removeDialog(this.dialog);
        this.core.forgetSubscription(this);
        const detail = { reason };
        if (retryAfter !== null) detail.retryAfter = retryAfter;
        this.dispatchEvent(new CustomEvent("terminated", { detail }));
    }
}
