// Client transactions over a reliable transport (RFC 3261 §17.1, RFC 6026 for the INVITE "Accepted" state).
import { SIPRequest } from "./sip-request.js";
import { TRANSACTION_TIMEOUT } from "./timer-values.js";

/**
 * Sends one request and hands its responses to the TU. No retransmissions (WebSocket is reliable): Timer B/F
 * bound the wait, Timer D and K are 0. The request must already carry its top Via with the branch.
 */
export class ClientTransaction {
    /**
     * @param {object} options
     * @param {SIPRequest} options.request
     * @param {(text: string) => void} options.send        throws on transport failure
     * @param {{setTimeout: Function, clearTimeout: Function}} options.timers
     * @param {object} options.handlers
     * @param {(response: import("./sip-response.js").SIPResponse) => void} options.handlers.onResponse
     * @param {() => void} [options.handlers.onTimeout]
     * @param {(error: Error) => void} [options.handlers.onTransportError]
     * @param {(transaction: ClientTransaction) => void} options.onTerminated  removes it from the table
     */
    constructor({ request, send, timers, handlers, onTerminated }) {
        this.request = request;
        this.send = send;
        this.timers = timers;
        this.handlers = handlers;
        this.onTerminated = onTerminated;
        this.isInvite = request.method === "INVITE";
        this.branch = request.topVia.branch;
        this.key = ClientTransaction.keyFor(this.branch, request.method);
        this.state = this.isInvite ? "calling" : "trying";
        this.timer = null;
    }

    /** RFC 3261 §17.1.3: a response matches by the top Via branch and the CSeq method. */
    static keyFor(branch, method) {
        return `${branch}|${method}`;
    }

    /** Sends the request and starts Timer B (INVITE) or Timer F (others). */
    start() {
        try {
            this.send(this.request.toString());
        } catch (error) {
            this.terminate();
            this.handlers.onTransportError?.(error);
            return;
        }
        // RFC 3261 §17.1.1.2 Timer B, §17.1.2.2 Timer F.
        this.timer = this.timers.setTimeout(() => {
            this.timer = null;
            if (this.state === "terminated") return;
            this.terminate();
            this.handlers.onTimeout?.();
        }, TRANSACTION_TIMEOUT);
    }

    /** @param {import("./sip-response.js").SIPResponse} response */
    receiveResponse(response) {
        if (this.state === "terminated" || this.state === "completed") return;
        if (response.status < 200) {
            if (this.state === "accepted") return;
            // RFC 3261 §17.1.1.2: Timer B only runs in Calling; the TU bounds a ringing INVITE itself.
            if (this.isInvite && this.state === "calling") this.clearTimer();
            this.state = "proceeding";
            this.handlers.onResponse(response);
            return;
        }
        if (this.isInvite && response.status < 300) {
            // RFC 6026 §8.4: stay "Accepted" for Timer M so that further 2xx (forks) still reach the TU.
            if (this.state !== "accepted") {
                this.state = "accepted";
                this.clearTimer();
                this.timer = this.timers.setTimeout(() => this.terminate(), TRANSACTION_TIMEOUT);
            }
            this.handlers.onResponse(response);
            return;
        }
        if (this.state === "accepted") return;
        this.state = "completed";
        if (this.isInvite) this.sendAckFor(response);
        // Timer D (INVITE) and Timer K (others) are 0 over a reliable transport.
        this.terminate();
        this.handlers.onResponse(response);
    }

    /** Fails the transaction because the connection is gone (RFC 3261 §8.1.3.1: treated as 503). */
    failTransport(error) {
        if (this.state === "terminated") return;
        const wasAccepted = this.state === "accepted";
        this.terminate();
        if (!wasAccepted) this.handlers.onTransportError?.(error);
    }

    /** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response belongs to the INVITE transaction. */
    sendAckFor(response) {
        const ack = SIPRequest.sameTransactionAs(this.request, "ACK", { to: response.getHeader("To") });
        try {
            this.send(ack.toString());
        } catch {
            // The connection is gone: the far end's transaction times out on its own (Timer H).
        }
    }

    clearTimer() {
        if (this.timer !== null) this.timers.clearTimeout(this.timer);
        this.timer = null;
    }

    terminate() {
        if (this.state === "terminated") return;
        this.state = "terminated";
        this.clearTimer();
        this.onTerminated(this);
    }
}
