// A dialog (RFC 3261 §12): identifiers, CSeq counters, route set and remote target.
import { NameAddress } from "./name-address.js";
import { SIPParseError } from "./sip-parse-error.js";
import { SIPRequest } from "./sip-request.js";

export class Dialog {
    /**
     * @param {object} fields
     * @param {string} fields.callId
     * @param {string} fields.localTag
     * @param {string} fields.remoteTag
     * @param {string} fields.localAddress    our From/To value without tag, e.g. `"Alice" <sip:alice@localhost>`
     * @param {string} fields.remoteAddress
     * @param {import("./sip-uri.js").SIPURI} fields.remoteTarget
     * @param {string[]} fields.routeSet      Route values in the order they go into requests
     * @param {number} fields.localSeq
     * @param {number|null} fields.remoteSeq
     */
    constructor(fields) {
        Object.assign(this, fields);
    }

    /**
     * The UAC side (RFC 3261 §12.1.2): route set is the Record-Route of the response reversed, the remote target
     * its Contact.
     * @param {SIPRequest} request   the request as sent (its CSeq is the local sequence)
     * @param {import("./sip-response.js").SIPResponse} response   a 2xx or 1xx with a To tag
     * @returns {Dialog}
     * @throws {SIPParseError} when the response has no Contact or To tag
     */
    static asClient(request, response) {
        const remoteTag = response.to.tag;
        const contact = response.contacts[0];
        if (remoteTag === null) throw new SIPParseError("dialog-creating response without To tag");
        if (!contact) throw new SIPParseError("dialog-creating response without Contact");
        return new Dialog({
            callId: request.callId, localTag: request.from.tag, remoteTag,
            localAddress: withoutTag(request.from), remoteAddress: withoutTag(response.to),
            remoteTarget: contact.uri, routeSet: response.getHeaders("Record-Route").reverse(),
            localSeq: request.cseq.seq, remoteSeq: null,
        });
    }

    /**
     * The UAC side for a 2xx that asClient refuses (no usable Contact, a malformed Record-Route, no To tag):
     * enough of a dialog to acknowledge the 2xx and end it with BYE (RFC 3261 §13.2.2.4: every 2xx is ACKed).
     * The remote target is `fallbackTarget` (the INVITE's Request-URI), the route set the usable Record-Route.
     * @param {SIPRequest} request   the INVITE as sent
     * @param {import("./sip-response.js").SIPResponse} response
     * @param {import("./sip-uri.js").SIPURI} fallbackTarget
     * @returns {Dialog}
     */
    static asClientFallback(request, response, fallbackTarget) {
        let remoteTarget = fallbackTarget.clone();
        try {
            const contact = response.contacts[0];
            if (contact) remoteTarget = contact.uri;
        } catch {
            // Unparsable Contact: the Request-URI stands in for it.
        }
        let routeSet = [];
        try {
            routeSet = response.getHeaders("Record-Route").reverse();
            for (const route of routeSet) NameAddress.parse(route);
        } catch {
            routeSet = []; // Without a usable route set the request goes to Parley, which routes by Request-URI.
        }
        return new Dialog({
            callId: request.callId, localTag: request.from.tag, remoteTag: response.to.tag,
            localAddress: withoutTag(request.from), remoteAddress: withoutTag(response.to),
            remoteTarget, routeSet, localSeq: request.cseq.seq, remoteSeq: null,
        });
    }

    /**
     * The UAS side (RFC 3261 §12.1.1): route set is the Record-Route of the request in order.
     * @param {SIPRequest} request
     * @param {string} localTag   the To tag we add
     * @returns {Dialog}
     * @throws {SIPParseError} when the request has no Contact or From tag
     */
    static asServer(request, localTag) {
        const contact = request.contacts[0];
        if (!contact) throw new SIPParseError("dialog-creating request without Contact");
        if (request.from.tag === null) throw new SIPParseError("dialog-creating request without From tag");
        return new Dialog({
            callId: request.callId, localTag, remoteTag: request.from.tag,
            localAddress: withoutTag(request.to), remoteAddress: withoutTag(request.from),
            remoteTarget: contact.uri, routeSet: request.getHeaders("Record-Route"),
            localSeq: Math.floor(Math.random() * 10_000) + 1, remoteSeq: request.cseq.seq,
        });
    }

    /** The key of the dialog table: Call-ID and both tags. */
    get id() {
        return Dialog.key(this.callId, this.localTag, this.remoteTag);
    }

    static key(callId, localTag, remoteTag) {
        return `${callId}|${localTag}|${remoteTag}`;
    }

    /** @returns {number} the next local CSeq (RFC 3261 §12.2.1.1: incremented by one for each new request) */
    nextLocalSeq() {
        this.localSeq += 1;
        return this.localSeq;
    }

    /**
     * A request within the dialog (RFC 3261 §12.2.1.1), without Via. ACK and CANCEL take `seq`.
     * @param {string} method
     * @param {object} [options]
     * @param {number} [options.seq]   CSeq number; default the next local one
     * @returns {SIPRequest}
     */
    createRequest(method, { seq } = {}) {
        const routes = [...this.routeSet];
        let requestURI = this.remoteTarget.clone();
        // A first route without "lr" is a strict router: it becomes the Request-URI (RFC 3261 §12.2.1.1).
        const firstRoute = routes.length > 0 ? NameAddress.parse(routes[0]).uri : null;
        if (firstRoute !== null && !firstRoute.params.has("lr")) {
            routes.shift();
            routes.push(`<${requestURI}>`);
            firstRoute.headers.clear();
            requestURI = firstRoute;
        }
        const request = new SIPRequest(method, requestURI);
        request.addHeader("Max-Forwards", "70");
        for (const route of routes) request.addHeader("Route", route);
        request.addHeader("From", `${this.localAddress};tag=${this.localTag}`);
        // A remote tag may be missing only in the fallback dialog of a broken 2xx (RFC 3261 §12.1.2: null tag).
        request.addHeader("To", this.remoteTag ? `${this.remoteAddress};tag=${this.remoteTag}` : this.remoteAddress);
        request.addHeader("Call-ID", this.callId);
        request.addHeader("CSeq", `${seq ?? this.nextLocalSeq()} ${method}`);
        return request;
    }

    /**
     * Checks and records the CSeq of a request from the far end (RFC 3261 §12.2.2).
     * @param {SIPRequest} request
     * @returns {boolean} false when it is out of order (the caller answers 500)
     */
    acceptRemoteSeq(request) {
        const { seq } = request.cseq;
        if (request.method === "ACK" || request.method === "CANCEL") return true;
        if (this.remoteSeq !== null && seq <= this.remoteSeq) return false;
        this.remoteSeq = seq;
        return true;
    }

    /**
     * The remote target a target refresh request (re-INVITE) carries: its first Contact's URI.
     * @param {import("./sip-message.js").SIPMessage} message
     * @returns {import("./sip-uri.js").SIPURI|null} null when it has no Contact
     * @throws {SIPParseError} when the Contact is not a usable sip:/sips: address (e.g. <tel:+1555>)
     */
    static targetOf(message) {
        const contact = message.contacts[0];
        return contact ? contact.uri : null;
    }
}

function withoutTag(address) {
    const copy = address.clone();
    copy.params.delete("tag");
    return copy.toString();
}
