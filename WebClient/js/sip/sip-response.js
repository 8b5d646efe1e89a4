// A SIP response: `SIP/2.0 code reason` plus headers and body (RFC 3261 §7.2), and how a UAS builds one (§8.2.6).
import { newTag } from "./random.js";
import { SIPMessage } from "./sip-message.js";

const REASON_PHRASES = new Map([
    [100, "Trying"], [180, "Ringing"], [181, "Call Is Being Forwarded"], [182, "Queued"],
    [183, "Session Progress"], [200, "OK"], [202, "Accepted"], [400, "Bad Request"], [401, "Unauthorized"],
    [403, "Forbidden"], [404, "Not Found"], [405, "Method Not Allowed"], [407, "Proxy Authentication Required"],
    [408, "Request Timeout"], [415, "Unsupported Media Type"], [420, "Bad Extension"],
    [423, "Interval Too Brief"], [480, "Temporarily Unavailable"], [481, "Call/Transaction Does Not Exist"],
    [486, "Busy Here"], [487, "Request Terminated"], [488, "Not Acceptable Here"], [489, "Bad Event"],
    [491, "Request Pending"], [500, "Server Internal Error"], [501, "Not Implemented"],
    [503, "Service Unavailable"], [603, "Decline"],
]);

/** @returns {string} the usual reason phrase of a status code */
export function reasonPhrase(status) {
    return REASON_PHRASES.get(status) ?? (status < 200 ? "Session Progress" : status < 300 ? "OK" : "Error");
}

export class SIPResponse extends SIPMessage {
    /**
     * @param {number} status  100-699
     * @param {string} [reason]
     */
    constructor(status, reason = reasonPhrase(status)) {
        super();
        this.status = status;
        this.reason = reason;
    }

    get startLine() {
        return `SIP/2.0 ${this.status} ${this.reason}`;
    }

    /**
     * A response to `request` (RFC 3261 §8.2.6.2): Via, From, To, Call-ID and CSeq copied; a To tag added
     * (`toTag`, or a fresh one) unless the request had one or the status is 100.
     * @param {import("./sip-request.js").SIPRequest} request
     * @param {number} status
     * @param {string} [reason]
     * @param {object} [options]
     * @param {string|null} [options.toTag]  the dialog's local tag; null: a new random tag when one is needed
     * @returns {SIPResponse}
     */
    static replyingTo(request, status, reason = reasonPhrase(status), { toTag = null } = {}) {
        const response = new SIPResponse(status, reason);
        for (const via of request.getHeaders("Via")) response.addHeader("Via", via);
        response.addHeader("From", request.getHeader("From"));
        let to = request.getHeader("To");
        // RFC 3261 §8.2.6.2: every response but 100 carries a To tag when the request had none.
        if (status !== 100 && SIPResponse.lacksToTag(request)) to += `;tag=${toTag ?? newTag()}`;
        response.addHeader("To", to);
        response.addHeader("Call-ID", request.getHeader("Call-ID"));
        response.addHeader("CSeq", request.getHeader("CSeq"));
        return response;
    }

    /**
     * RFC 3261 §21.4.6: 405, with the Allow header the UAS must send.
     * @param {import("./sip-request.js").SIPRequest} request
     * @param {string} allow  the methods we accept, e.g. "INVITE, ACK, CANCEL"
     * @returns {SIPResponse}
     */
    static methodNotAllowed(request, allow) {
        return SIPResponse.replyingTo(request, 405).addHeader("Allow", allow);
    }

    /**
     * RFC 3261 §21.4.13: 415 to a body that is not SDP, with Accept listing what we take.
     * @param {import("./sip-request.js").SIPRequest} request
     * @returns {SIPResponse}
     */
    static unsupportedMediaType(request) {
        return SIPResponse.replyingTo(request, 415).addHeader("Accept", "application/sdp");
    }

    /** @returns {boolean} whether the request's To has no tag (false when To is missing or malformed: copied as is) */
    static lacksToTag(request) {
        try {
            return request.to.tag === null;
        } catch {
            return false; // a 400 for a bad To still goes out, with the To it came with
        }
    }
}
