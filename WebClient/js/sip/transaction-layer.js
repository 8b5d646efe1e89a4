// The transaction tables: matching responses and requests to transactions (RFC 3261 §17.1.3, §17.2.3, §9.2).
import { ClientTransaction } from "./client-transaction.js";
import { newBranch } from "./random.js";
import { SIPResponse } from "./sip-response.js";
import { ServerTransaction } from "./server-transaction.js";

/** @typedef {import("./sip-request.js").SIPRequest} SIPRequest */

export class TransactionLayer {
    /**
     * @param {object} options
     * @param {(text: string) => void} options.send       throws when the connection is down
     * @param {{setTimeout: Function, clearTimeout: Function}} options.timers
     * @param {() => string} options.viaValue             `SIP/2.0/WSS <host>.invalid` without the branch
     * @param {(request: SIPRequest, transaction: ServerTransaction|null) => void} options.onRequest
     *     new requests for the TU (ACK without a transaction comes with null)
     * @param {(invite: ServerTransaction, cancel: SIPRequest) => void} options.onCancel
     *     a CANCEL matched an INVITE that has no final response yet (the CANCEL is already answered 200)
     * @param {string|null} [options.userAgentName]  appended as User-Agent to requests without one
     */
    constructor({ send, timers, viaValue, onRequest, onCancel, userAgentName = null }) {
        this.send = send;
        this.timers = timers;
        this.viaValue = viaValue;
        this.onRequest = onRequest;
        this.onCancel = onCancel;
        this.userAgentName = userAgentName;
        /** @type {Map<string, ClientTransaction>} */
        this.clientTransactions = new Map();
        /** @type {Map<string, ServerTransaction>} */
        this.serverTransactions = new Map();
    }

    /**
     * Starts a client transaction; a request without Via gets ours with a new branch (RFC 3261 §8.1.1.7),
     * one without User-Agent gets ours (last).
     * @param {SIPRequest} request
     * @param {object} handlers  see ClientTransaction
     * @returns {ClientTransaction}
     */
    sendRequest(request, handlers) {
        this.addViaIfMissing(request);
        this.addUserAgentIfMissing(request);
        const transaction = new ClientTransaction({
            request, send: this.send, timers: this.timers, handlers,
            onTerminated: (finished) => {
                const table = this.clientTransactions;
                if (table.get(finished.key) === finished) table.delete(finished.key);
            },
        });
        this.clientTransactions.set(transaction.key, transaction);
        transaction.start();
        return transaction;
    }

    /**
     * Sends a request outside any transaction (the ACK of a 2xx, RFC 3261 §13.2.2.4).
     * @param {SIPRequest} request
     * @throws {Error} when the connection is down
     */
    sendStateless(request) {
        this.addViaIfMissing(request);
        this.addUserAgentIfMissing(request);
        this.send(request.toString());
    }

    addViaIfMissing(request) {
        if (!request.hasHeader("Via")) request.prependHeader("Via", `${this.viaValue()};branch=${newBranch()}`);
    }

    /** RFC 3261 §20.41: appended last, so it follows whatever the caller added. */
    addUserAgentIfMissing(request) {
        if (this.userAgentName !== null && !request.hasHeader("User-Agent")) {
            request.addHeader("User-Agent", this.userAgentName);
        }
    }

    /**
     * Sends a response outside any transaction (400 to a request that could not be parsed).
     * @param {SIPResponse} response
     */
    sendStatelessResponse(response) {
        try {
            this.send(response.toString());
        } catch {
            // Nothing to do: the connection is gone.
        }
    }

    /** Hands an incoming parsed message to its transaction or to the TU. */
    receive(message) {
        if (message instanceof SIPResponse) {
            this.receiveResponse(message);
        } else {
            this.receiveRequest(message);
        }
    }

    receiveResponse(response) {
        // RFC 3261 §18.1.2: a response whose top Via is not ours (no transaction) is dropped.
        const key = ClientTransaction.keyFor(response.topVia.branch, response.cseq.method);
        this.clientTransactions.get(key)?.receiveResponse(response);
    }

    receiveRequest(request) {
        const method = request.method === "ACK" ? "INVITE" : request.method;
        const key = TransactionLayer.serverKey(request, method);
        const existing = this.serverTransactions.get(key);
        if (request.method === "ACK") {
            if (existing && existing.state === "completed") {
                existing.receiveAck(); // RFC 3261 §17.2.1: absorbed by the transaction
            } else {
                this.onRequest(request, null);
            }
            return;
        }
        if (existing) {
            existing.receiveRetransmission();
            return;
        }
        const transaction = this.createServerTransaction(request, key);
        if (request.method === "CANCEL") {
            this.receiveCancel(request, transaction);
            return;
        }
        this.onRequest(request, transaction);
    }

    /** RFC 3261 §9.2: a CANCEL is answered by the UAS core; 481 when no INVITE transaction matches. */
    receiveCancel(cancel, transaction) {
        const invite = this.serverTransactions.get(TransactionLayer.serverKey(cancel, "INVITE"));
        if (!invite) {
            transaction.respond(SIPResponse.replyingTo(cancel, 481));
            return;
        }
        const toTag = invite.lastResponse?.to.tag ?? null;
        transaction.respond(SIPResponse.replyingTo(cancel, 200, "OK", { toTag }));
        if (!invite.isFinal) this.onCancel(invite, cancel);
    }

    createServerTransaction(request, key) {
        const transaction = new ServerTransaction({
            request, key, send: this.send, timers: this.timers,
            onTerminated: (finished) => {
                const table = this.serverTransactions;
                if (table.get(finished.key) === finished) table.delete(finished.key);
            },
        });
        this.serverTransactions.set(key, transaction);
        return transaction;
    }

    /**
     * RFC 3261 §17.2.3: branch + sent-by + method (ACK and CANCEL look up "INVITE"); requests without the
     * magic cookie fall back to the RFC 2543 fields.
     */
    static serverKey(request, method) {
        const via = request.topVia;
        const branch = via.branch ?? "";
        if (branch.startsWith("z9hG4bK")) return `${branch}|${via.sentBy}|${method}`;
        return `2543|${request.callId}|${request.from.tag}|${request.cseq.seq}|${via.sentBy}|${method}`;
    }

    /** The connection is gone: pending client transactions fail, server transactions are forgotten. */
    failAll(error) {
        for (const transaction of [...this.clientTransactions.values()]) transaction.failTransport(error);
        for (const transaction of [...this.serverTransactions.values()]) transaction.terminate();
    }
}
