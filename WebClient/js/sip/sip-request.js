// A SIP request: `METHOD Request-URI SIP/2.0` plus headers and body (RFC 3261 §7.1).
import { SIPMessage } from "./sip-message.js";
import { SIPURI } from "./sip-uri.js";

export class SIPRequest extends SIPMessage {
    /**
     * @param {string} method  upper-case token, e.g. "INVITE"
     * @param {SIPURI|string} uri
     */
    constructor(method, uri) {
        super();
        this.method = method.toUpperCase();
        /** @type {SIPURI} */
        this.uri = typeof uri === "string" ? SIPURI.parse(uri) : uri;
    }

    get startLine() {
        return `${this.method} ${this.uri} SIP/2.0`;
    }

    /** @returns {SIPRequest} a deep copy (headers, body, URI) */
    clone() {
        const copy = new SIPRequest(this.method, this.uri.clone());
        copy.headers = this.headers.map((header) => ({ ...header }));
        copy.body = this.body;
        return copy;
    }

    /**
     * A request of `invite`'s client transaction: same Request-URI, top Via (so the same branch), From, Call-ID,
     * CSeq number and Route set (RFC 3261 §9.1 for CANCEL, §17.1.1.3 for the ACK of a non-2xx final response).
     * @param {SIPRequest} invite
     * @param {string} method  "CANCEL" or "ACK"
     * @param {object} [options]
     * @param {string} [options.to]  the To value (the ACK copies the response's, with its tag); the INVITE's if omitted
     * @returns {SIPRequest}
     */
    static sameTransactionAs(invite, method, { to } = {}) {
        const request = new SIPRequest(method, invite.uri.clone());
        request.addHeader("Via", invite.getHeader("Via"));
        request.addHeader("Max-Forwards", "70");
        request.addHeader("From", invite.getHeader("From"));
        request.addHeader("To", to ?? invite.getHeader("To"));
        request.addHeader("Call-ID", invite.getHeader("Call-ID"));
        request.addHeader("CSeq", `${invite.cseq.seq} ${request.method}`);
        for (const route of invite.getHeaders("Route")) request.addHeader("Route", route);
        return request;
    }
}
