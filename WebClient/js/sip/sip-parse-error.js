/**
 * A message, header or URI that does not follow the SIP grammar (RFC 3261 §25).
 * `partial` is set by the parser when the message is a request whose Via, From, To, Call-ID and CSeq could be
 * read, so the UA can still answer 400 Bad Request (RFC 3261 §21.4.1); otherwise the message is dropped.
 */
export class SIPParseError extends Error {
    /**
     * @param {string} message  what is wrong, without the raw input
     * @param {object} [options]
     * @param {import("./sip-request.js").SIPRequest} [options.partial]  the request as far as it was read
     */
    constructor(message, { partial = null } = {}) {
        super(message);
        this.name = "SIPParseError";
        this.partial = partial;
    }
}
