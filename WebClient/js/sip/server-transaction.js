// Server transactions over a reliable transport (RFC 3261 §17.2, RFC 6026 for the INVITE "Accepted" state).
import { newTag } from "./random.js";
import { SIPResponse } from "./sip-response.js";
import { TRANSACTION_TIMEOUT, TRYING_DELAY } from "./timer-values.js";

/**
 * How long a request may wait for the TU's final response before the transaction answers 500 itself: the
 * client gave up by then (Timer B/F, 64*T1), and an open transaction must not live forever. A TU that needs
 * longer (a ringing call) extends it with extendDeadline().
 */
export const UNANSWERED_DEADLINE = TRANSACTION_TIMEOUT;

export class ServerTransaction {
    /**
     * @param {object} options
     * @param {import("./sip-request.js").SIPRequest} options.request
     * @param {string} options.key                      see TransactionLayer.serverKey
     * @param {(text: string) => void} options.send       throws on transport failure
     * @param {{setTimeout: Function, clearTimeout: Function}} options.timers
     * @param {(transaction: ServerTransaction) => void} options.onTerminated
     */
    constructor({ request, key, send, timers, onTerminated }) {
        this.request = request;
        this.key = key;
        this.send = send;
        this.timers = timers;
        this.onTerminated = onTerminated;
        this.isInvite = request.method === "INVITE";
        this.state = this.isInvite ? "proceeding" : "trying";
        this.lastResponse = null;
        this.timer = null;
        /** Called once when the deadline answered 500 for a TU that never answered (the TU cleans up). */
        this.onUnanswered = null;
        this.deadlineTimer = null;
        this.extendDeadline(UNANSWERED_DEADLINE);
        if (this.isInvite) {
            // RFC 3261 §17.2.1: 100 Trying only when the TU is slower than 200 ms.
            this.timer = this.timers.setTimeout(() => {
                this.timer = null;
                if (this.lastResponse === null) this.respond(SIPResponse.replyingTo(request, 100));
            }, TRYING_DELAY);
        }
    }

    /**
     * Restarts the bound on the wait for the TU's final response: `delay` ms from now.
     * @param {number} delay
     */
    extendDeadline(delay) {
        this.clearDeadline();
        if (this.isFinal || this.state === "terminated") return;
        this.deadlineTimer = this.timers.setTimeout(() => {
            this.deadlineTimer = null;
            if (this.isFinal || this.state === "terminated") return;
            // The To tag of a provisional already sent stays the dialog's tag (RFC 3261 §8.2.6.2).
            const toTag = this.lastResponse?.to.tag ?? newTag();
            this.respond(SIPResponse.replyingTo(this.request, 500, "Server Internal Error (no answer in time)",
                { toTag }));
            this.onUnanswered?.(this);
        }, delay);
    }

    /** @returns {boolean} whether a final response was sent */
    get isFinal() {
        return this.lastResponse !== null && this.lastResponse.status >= 200;
    }

    /**
     * Sends a response; after a final one the transaction moves on (Completed / Accepted / Terminated).
     * @param {SIPResponse} response
     * @returns {boolean} false when the response could not be sent (transaction finished or transport gone)
     */
    respond(response) {
        if (this.isFinal || this.state === "terminated") return false;
        this.lastResponse = response;
        const sent = this.transmit(response);
        if (response.status < 200) {
            this.state = "proceeding";
            return sent;
        }
        this.clearTimer();
        this.clearDeadline();
        if (!this.isInvite) {
            this.terminate(); // Timer J is 0 over a reliable transport.
        } else if (response.status < 300) {
            // RFC 6026 §8.7 Timer L: absorb retransmitted INVITEs; the ACK for a 2xx goes to the TU.
            this.state = "accepted";
            this.timer = this.timers.setTimeout(() => this.terminate(), TRANSACTION_TIMEOUT);
        } else {
            // RFC 3261 §17.2.1 Timer H bounds the wait for the ACK.
            this.state = "completed";
            this.timer = this.timers.setTimeout(() => this.terminate(), TRANSACTION_TIMEOUT);
        }
        return sent;
    }

    /** The same request again (RFC 3261 §17.2.1, §17.2.2): the last response is sent again. */
    receiveRetransmission() {
        if (this.lastResponse !== null && this.state !== "accepted") this.transmit(this.lastResponse);
    }

    /** The ACK of a non-2xx final response: Confirmed, then Terminated (Timer I is 0). */
    receiveAck() {
        if (this.state === "completed") this.terminate();
    }

    transmit(response) {
        try {
            this.send(response.toString());
            return true;
        } catch {
            return false;
        }
    }

    clearTimer() {
        if (this.timer !== null) this.timers.clearTimeout(this.timer);
        this.timer = null;
    }

    clearDeadline() {
        if (this.deadlineTimer !== null) this.timers.clearTimeout(this.deadlineTimer);
        this.deadlineTimer = null;
    }

    terminate() {
        if (this.state === "terminated") return;
        this.state = "terminated";
        this.clearTimer();
        this.clearDeadline();
        this.onTerminated(this);
    }
}
