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
}
