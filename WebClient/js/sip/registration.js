// REGISTER and its refresh (RFC 3261 §10.2, RFC 5626 §4.2 outbound registration).
import { unquote } from "./grammar.js";
import { MESSAGE_ACCEPT } from "./instant-message.js";
import { parseSeconds } from "./sip-message.js";
import { newCallId, newTag } from "./random.js";
import { SIPRequest } from "./sip-request.js";

/** Statuses after which trying again later may work (RFC 3261 §21: timeouts, overload, server errors). */
const RETRYABLE_STATUSES = new Set([408, 480, 500, 502, 503, 504]);
const MAX_INTERVAL_RETRIES = 3;

export class Registration {
    /**
     * @param {object} options
     * @param {object} options.core     the UserAgent: sendRequest(), contactValue(), contactURI, instanceURN,
     *                                  fromAddress, aorURI, allowValue, timers
     * @param {number} options.expires  requested expiry in seconds
     * @param {object} options.listener
     * @param {(info: {expires: number}) => void} options.listener.onRegistered
     * @param {(info: {status: number, reasonPhrase: string, authFailed: boolean}) => void} options.listener.onFailed
     *     the registrar refused us: no point in retrying without new credentials or configuration
     * @param {(info: {status: number, reason: string}) => void} options.listener.onRetryableFailure
     */
    constructor({ core, expires, listener }) {
        this.core = core;
        this.expires = expires;
        this.listener = listener;
        this.callId = newCallId(); // RFC 3261 §10.2.4: the same Call-ID for every REGISTER of this UA
        this.fromTag = newTag();
        this.cseq = 0;
        this.sender = null;
        this.refreshTimer = null;
        this.intervalRetries = 0;
    }

    /** Sends a REGISTER now (first registration or refresh); a REGISTER already in flight is abandoned. */
    register() {
        this.cancelRefresh();
        this.sender?.abort();
        const request = this.createRegister(this.expires);
        this.sender = this.core.sendRequest(request, {
            nextCSeq: () => this.nextCSeq(),
            onFinal: (response, { authFailed }) => this.receiveFinal(response, authFailed),
            onFailure: (error) => this.fail(error.status, error.message),
        });
    }

    /**
     * Removes our binding (REGISTER with Expires: 0, RFC 3261 §10.2.2) and waits at most `timeout` ms.
     * @param {number} timeout
     * @returns {Promise<number|null>} the final status, or null on timeout / transport failure
     */
    unregister(timeout) {
        this.cancelRefresh();
        this.sender?.abort();
        return new Promise((resolve) => {
            const timer = this.core.timers.setTimeout(() => done(null), timeout);
            const done = (status) => {
                this.core.timers.clearTimeout(timer);
                resolve(status);
            };
            try {
                this.sender = this.core.sendRequest(this.createRegister(0), {
                    nextCSeq: () => this.nextCSeq(),
                    onFinal: (response) => done(response.status),
                    onFailure: () => done(null),
                });
            } catch {
                done(null);
            }
        });
    }

    /** Stops the refresh timer and any REGISTER in flight (the connection went away). */
    cancelRefresh() {
        if (this.refreshTimer !== null) this.core.timers.clearTimeout(this.refreshTimer);
        this.refreshTimer = null;
    }

    stop() {
        this.cancelRefresh();
        this.sender?.abort();
        this.sender = null;
    }

    nextCSeq() {
        this.cseq += 1;
        return this.cseq;
    }

    createRegister(expires) {
        const core = this.core;
        const registrar = core.aorURI.clone();
        registrar.user = null;
        registrar.password = null;
        registrar.params.clear();
        registrar.headers.clear();
        const request = new SIPRequest("REGISTER", registrar);
        request.addHeader("Max-Forwards", "70");
        request.addHeader("To", `<${core.aorURI.addressOfRecord}>`);
        request.addHeader("From", `${core.fromAddress};tag=${this.fromTag}`);
        request.addHeader("Call-ID", this.callId);
        request.addHeader("CSeq", `${this.nextCSeq()} REGISTER`);
        request.addHeader("Contact", core.contactValue({ forRegister: true }));
        request.addHeader("Expires", String(expires));
        // RFC 5626 §4.2.1: "outbound" in Supported; RFC 3327: "path".
        request.addHeader("Supported", "path, outbound");
        request.addHeader("Allow", core.allowValue);
        // Parley delivers room and stored messages as message/cpim to bindings that accept it (RFC 3862).
        request.addHeader("Accept", MESSAGE_ACCEPT);
        return request;
    }

    receiveFinal(response, authFailed) {
        const status = response.status;
        if (status >= 200 && status < 300) {
            this.intervalRetries = 0;
            const granted = this.grantedExpiry(response);
            // Refresh at about half the granted time, so a lost refresh still leaves room for another try.
            this.refreshTimer = this.core.timers.setTimeout(() => {
                this.refreshTimer = null;
                this.register();
            }, Math.max(1, granted / 2) * 1000);
            this.listener.onRegistered({ expires: granted });
            return;
        }
        if (status === 423 && this.intervalRetries < MAX_INTERVAL_RETRIES) {
            // RFC 3261 §10.2.8: retry with at least Min-Expires.
            const minimum = parseSeconds(response.getHeader("Min-Expires"));
            if (minimum !== null && minimum > this.expires) {
                this.intervalRetries += 1;
                this.expires = minimum;
                this.register();
                return;
            }
        }
        if (RETRYABLE_STATUSES.has(status)) {
            this.listener.onRetryableFailure({ status, reason: `${status} ${response.reason}` });
        } else {
            this.listener.onFailed({ status, reasonPhrase: response.reason, authFailed });
        }
    }

    fail(status, message) {
        this.listener.onRetryableFailure({ status, reason: message });
    }

    /** Our Contact's expires parameter in the 200, else its Expires header, else what we asked for. */
    grantedExpiry(response) {
        const ours = this.findOurContact(response);
        const fromParam = ours ? parseSeconds(ours.params.get("expires")) : null;
        const granted = fromParam ?? response.expires ?? this.expires;
        return granted > 0 ? granted : this.expires;
    }

    findOurContact(response) {
        let contacts;
        try {
            contacts = response.contacts;
        } catch {
            return null; // A malformed Contact list still registered us; fall back to the Expires header.
        }
        return contacts.find((contact) => contact.uri.sameAddress(this.core.contactURI)) ??
            contacts.find((contact) => unquote(contact.params.get("+sip.instance") ?? "") === this.core.instanceURN) ??
            null;
    }
}
