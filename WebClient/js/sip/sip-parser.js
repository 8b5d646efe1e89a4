// Parses one whole SIP message as received in one WebSocket message (RFC 3261 §7, RFC 7118 §5.1).
import { isToken, utf8Length } from "./grammar.js";
import { SIPParseError } from "./sip-parse-error.js";
import { SIPRequest } from "./sip-request.js";
import { SIPResponse } from "./sip-response.js";

const STATUS_LINE = /^SIP\/2\.0 ([1-6][0-9]{2}) ?(.*)$/;
const REQUEST_LINE = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) SIP\/2\.0$/;
const MAX_MESSAGE_LENGTH = 256 * 1024;

export class SIPParser {
    /**
     * Parses a request or response. Over WebSocket the body is the rest of the message, so a Content-Length that
     * disagrees with it is an error (RFC 7118 §5.1).
     * @param {string} text
     * @returns {SIPRequest|SIPResponse}
     * @throws {SIPParseError} with `partial` set for a request that can still be answered with 400
     */
    static parse(text) {
        if (typeof text !== "string") throw new SIPParseError("message is not text");
        if (text.length > MAX_MESSAGE_LENGTH) throw new SIPParseError("message too long");
        // RFC 3261 §7.5: CRLFs before the start line are ignored.
        const message = text.replace(/^(\r?\n)+/, "");
        const { headerLines, body } = splitHeadAndBody(message);
        const parsed = parseStartLine(headerLines[0]);
        for (const { name, value } of unfold(headerLines.slice(1))) parsed.addHeader(name, value);
        parsed.body = body;
        checkMandatoryHeaders(parsed);
        const partial = parsed instanceof SIPRequest ? parsed : null;
        const lengthHeader = parsed.getHeader("Content-Length");
        if (lengthHeader !== null) {
            if (!/^\s*[0-9]{1,10}\s*$/.test(lengthHeader)) throw new SIPParseError("bad Content-Length", { partial });
            if (Number(lengthHeader) !== utf8Length(body)) {
                throw new SIPParseError("Content-Length does not match the body", { partial });
            }
        }
        if (partial !== null && parsed.cseq.method !== parsed.method) {
            throw new SIPParseError("CSeq method differs from the request method", { partial });
        }
        const maxForwards = parsed.getHeader("Max-Forwards");
        if (maxForwards !== null && !/^\s*[0-9]{1,3}\s*$/.test(maxForwards)) {
            throw new SIPParseError("bad Max-Forwards", { partial });
        }
        return parsed;
    }
}

function splitHeadAndBody(message) {
    // The first empty line ends the headers, whether lines end in CRLF or (tolerated, some stacks send it) a
    // bare LF (RFC 3261 §7.5): a later CRLFCRLF belongs to the body.
    const separator = /\r?\n\r?\n/.exec(message);
    if (separator === null) throw new SIPParseError("no empty line after the headers");
    return {
        headerLines: message.slice(0, separator.index).split(/\r?\n/),
        body: message.slice(separator.index + separator[0].length),
    };
}

function parseStartLine(line) {
    const status = STATUS_LINE.exec(line);
    if (status) return new SIPResponse(Number(status[1]), status[2].trim());
    const request = REQUEST_LINE.exec(line);
    if (!request) throw new SIPParseError("bad start line");
    return new SIPRequest(request[1], request[2]);
}

/** Joins folded lines (RFC 3261 §7.3.1: a line starting with SP or HTAB continues the previous one). */
function unfold(lines) {
    const headers = [];
    for (const line of lines) {
        if (/^[ \t]/.test(line)) {
            if (headers.length === 0) throw new SIPParseError("continuation line before any header");
            headers[headers.length - 1].value += " " + line.trim();
            continue;
        }
        const colon = line.indexOf(":");
        if (colon <= 0) throw new SIPParseError("header line without a name");
        const name = line.slice(0, colon).trim();
        if (!isToken(name)) throw new SIPParseError("bad header name");
        headers.push({ name, value: line.slice(colon + 1).trim() });
    }
    return headers;
}

/** RFC 3261 §8.1.1: Via, From, To, Call-ID and CSeq are in every message; each is read once here. */
function checkMandatoryHeaders(message) {
    void message.vias;
    void message.from;
    void message.to;
    void message.callId;
    void message.cseq;
}
