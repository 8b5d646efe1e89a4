// Requests from the far end: method checks, dialog matching, out-of-dialog requests (RFC 3261 §8.2, §12.2.2).
import { CallSession } from "./call-session.js";
import { Dialog } from "./dialog.js";
import { MESSAGE_ACCEPT, readMessageBody } from "./instant-message.js";
import { SIPParseError } from "./sip-parse-error.js";
import { SIPResponse } from "./sip-response.js";

export const ALLOWED_METHODS = ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "MESSAGE", "NOTIFY"];
/** Option tags we understand in a Require header (RFC 3261 §8.2.2.3; RFC 4662 §5.2: a list NOTIFY's eventlist). */
const SUPPORTED_EXTENSIONS = new Set(["outbound", "path", "eventlist"]);

export class IncomingRequests {
    /** @param {import("./user-agent.js").UserAgent} ua */
    constructor(ua) {
        this.ua = ua;
    }

    /**
     * A new request from the transaction layer (ACK without transaction: `transaction` null). Whatever goes
     * wrong is answered (400 for a malformed header, 500 otherwise), never thrown.
     * @param {import("./sip-request.js").SIPRequest} request
     * @param {import("./server-transaction.js").ServerTransaction|null} transaction
     */
    receive(request, transaction) {
        let pending;
        try {
            pending = this.routeRequest(request, transaction);
        } catch (error) {
            this.handlingFailed(request, transaction, error);
            return;
        }
        // A handler that works asynchronously (a re-INVITE's SDP) returns its promise: a rejection still
        // gets its answer instead of becoming an unhandled rejection with the transaction left open.
        if (pending && typeof pending.then === "function") {
            pending.then(null, (error) => this.handlingFailed(request, transaction, error));
        }
    }

    /** Answers what a failed handler left unanswered: 400 for a malformed header, 500 otherwise. */
    handlingFailed(request, transaction, error) {
        const parseFailure = error instanceof SIPParseError;
        if (transaction && !transaction.isFinal) {
            try {
                transaction.respond(SIPResponse.replyingTo(request, parseFailure ? 400 : 500,
                    parseFailure ? `Bad Request (${error.message})` : "Server Internal Error"));
            } catch (responseError) {
                this.ua.logger.warn("could not answer a failed request:", responseError);
            }
        }
        if (!parseFailure) this.ua.logger.warn("request handling failed:", error);
    }

    /** @returns {Promise|undefined} the promise of a handler that answers asynchronously */
    routeRequest(request, transaction) {
        const method = request.method;
        const toTag = request.to.tag;
        if (method === "ACK") {
            const entry = toTag === null ? null : this.findDialog(request);
            return entry?.owner.receiveRequest(request, null); // an ACK nobody expects is dropped
        }
        // RFC 3261 §8.2.2.3: every Require header counts (a list may be split over several lines).
        const unsupported = request.getHeaders("Require").flatMap((value) => value.split(","))
            .map((tag) => tag.trim()).filter((tag) => tag !== "" && !SUPPORTED_EXTENSIONS.has(tag.toLowerCase()));
        if (unsupported.length > 0) {
            transaction.respond(SIPResponse.replyingTo(request, 420).addHeader("Unsupported", unsupported.join(", ")));
            return;
        }
        if (!ALLOWED_METHODS.includes(method)) {
            transaction.respond(SIPResponse.methodNotAllowed(request, this.ua.allowValue));
            return;
        }
        if (toTag !== null) {
            return this.routeInDialog(request, transaction);
        } else if (method === "INVITE") {
            this.receiveInvite(request, transaction);
        } else if (method === "MESSAGE") {
            this.receiveMessage(request, transaction);
        } else if (method === "OPTIONS") {
            transaction.respond(this.optionsResponse(request));
        } else {
            transaction.respond(SIPResponse.replyingTo(request, 481)); // BYE, NOTIFY... outside any dialog
        }
    }

    /** @returns {Promise|undefined} */
    routeInDialog(request, transaction) {
        const entry = this.findDialog(request);
        if (entry) {
            // RFC 3261 §12.2.2: a lower CSeq than the last one is out of order.
            if (!entry.dialog.acceptRemoteSeq(request)) {
                transaction.respond(SIPResponse.replyingTo(request, 500, "Server Internal Error (CSeq out of order)"));
            } else if (request.method === "OPTIONS") {
                transaction.respond(this.optionsResponse(request));
            } else if (request.method === "MESSAGE") {
                this.receiveMessage(request, transaction);
            } else {
                return entry.owner.receiveRequest(request, transaction);
            }
            return undefined;
        }
        if (request.method === "NOTIFY") {
            const subscription = [...this.ua.subscriptions].find((candidate) => candidate.matchesNotify(request));
            if (subscription) {
                subscription.receiveRequest(request, transaction);
                return;
            }
        }
        // RFC 3261 §12.2.2: a request with a To tag that matches no dialog.
        transaction.respond(SIPResponse.replyingTo(request, 481));
    }

    findDialog(request) {
        return this.ua.dialogs.get(Dialog.key(request.callId, request.to.tag, request.from.tag)) ?? null;
    }

    receiveInvite(request, transaction) {
        const session = new CallSession(this.ua, { direction: "incoming", request, transaction });
        if (!session.startIncoming()) return;
        this.ua.sessions.add(session);
        this.ua.dispatchEvent(new CustomEvent("incomingcall", { detail: { session } }));
    }

    /** RFC 3261 §9.2: the caller canceled an INVITE we have not answered finally. */
    receiveCancel(invite) {
        const session = [...this.ua.sessions].find((candidate) => candidate.inviteTransaction === invite);
        if (session) {
            session.receiveCancel();
        } else {
            invite.respond(SIPResponse.replyingTo(invite.request, 487, "Request Terminated"));
        }
    }

    /**
     * RFC 3428 §7: 200 and the "message" event; 415 with Accept for a body we cannot show, 400 for bad CPIM.
     * The event's `cpim` is the message/cpim envelope (RFC 3862), null for text/plain.
     */
    receiveMessage(request, transaction) {
        const from = request.from;
        const to = request.to;
        const content = readMessageBody(request, this.ua.logger);
        if (!content.ok) {
            const response = SIPResponse.replyingTo(request, content.status, content.reason);
            if (content.accept) response.addHeader("Accept", content.accept);
            transaction.respond(response);
            return;
        }
        transaction.respond(SIPResponse.replyingTo(request, 200, "OK"));
        const dateHeader = request.getHeader("Date");
        const parsedDate = dateHeader === null ? NaN : Date.parse(dateHeader);
        this.ua.dispatchEvent(new CustomEvent("message", {
            detail: {
                from: from.uri.addressOfRecord, fromDisplayName: from.displayName, to: to.uri.addressOfRecord,
                contentType: request.getHeader("Content-Type") ?? "text/plain", body: request.body,
                date: new Date(Number.isNaN(parsedDate) ? this.ua.timers.now() : parsedDate),
                cpim: content.cpim,
            },
        }));
    }

    /** RFC 3261 §11.2: what we support. */
    optionsResponse(request) {
        const response = SIPResponse.replyingTo(request, 200, "OK");
        response.addHeader("Allow", this.ua.allowValue);
        response.addHeader("Accept", `application/sdp, ${MESSAGE_ACCEPT}`);
        response.addHeader("Supported", "outbound, path");
        response.addHeader("Server", this.ua.userAgentName);
        return response;
    }
}
