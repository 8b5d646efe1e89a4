// What an incoming MESSAGE (RFC 3428) carries, for the UA's "message" event: plain text, or message/cpim
// (RFC 3862) around plain text. Anything else is refused with 415 and the types we take (RFC 3261 §21.4.13).
import { CPIMError, CPIMMessage } from "./cpim.js";
import { SIPURI } from "./sip-uri.js";

/** The bodies this client shows, most wanted first: the REGISTER's Accept and a 415's Accept. */
export const MESSAGE_ACCEPT = "message/cpim, text/plain";
const SHOWN_TEXT_TYPES = new Set(["text/plain"]);
/** Fixed reason phrases (RFC 3261 §21.4.13, §21.4.1): nothing of the request is echoed back. */
const UNSUPPORTED_REASON = "Unsupported Media Type";
const MALFORMED_CPIM_REASON = "Bad Request (malformed CPIM)";

/**
 * @typedef {object} CPIMEnvelope
 * @property {string|null} from the CPIM From URI (the address of record for sip:/sips: URIs)
 * @property {string|null} fromDisplayName
 * @property {string|null} to the first CPIM To URI (a room's URI for room messages, else the recipient)
 * @property {string|null} toDisplayName
 * @property {Date|null} dateTime when the message was sent (DateTime)
 * @property {string|null} messageId imdn.Message-ID (Parley: the stored message id)
 * @property {string} contentType the encapsulated Content-Type
 * @property {string} body the encapsulated text
 */

/** @param {string} uri @returns {string} sip:user@host for SIP URIs (parameters dropped), else the URI as given */
function addressOf(uri) {
    if (!/^sips?:/i.test(uri)) return uri;
    try {
        return SIPURI.parse(uri).addressOfRecord;
    } catch {
        return uri;
    }
}

/**
 * Reads a MESSAGE body. The reason phrases are fixed: text from the sender never goes back into our answer
 * (it could carry anything); what was wrong goes to the logger.
 * @param {import("./sip-request.js").SIPRequest} request
 * @param {{debug?: Function}} [logger]
 * @returns {{ok: true, cpim: CPIMEnvelope|null} | {ok: false, status: number, reason: string, accept?: string}}
 *   `cpim` is null for text/plain
 */
export function readMessageBody(request, logger = null) {
    // RFC 3428 §7 does not require a Content-Type for an empty body; treat a missing one as text.
    const mediaType = request.mediaType ?? "text/plain";
    if (SHOWN_TEXT_TYPES.has(mediaType)) return { ok: true, cpim: null };
    if (mediaType !== "message/cpim") {
        logger?.debug?.(`MESSAGE refused: ${mediaType} is not shown`);
        return { ok: false, status: 415, reason: UNSUPPORTED_REASON, accept: MESSAGE_ACCEPT };
    }
    let message;
    try {
        message = CPIMMessage.parse(request.body);
    } catch (error) {
        if (!(error instanceof CPIMError)) throw error;
        logger?.debug?.(`MESSAGE refused: malformed message/cpim: ${error.message}`);
        return { ok: false, status: 400, reason: MALFORMED_CPIM_REASON };
    }
    if (!SHOWN_TEXT_TYPES.has(message.mediaType)) {
        logger?.debug?.(`MESSAGE refused: ${message.mediaType} in message/cpim is not shown`);
        return { ok: false, status: 415, reason: UNSUPPORTED_REASON, accept: MESSAGE_ACCEPT };
    }
    const from = message.from;
    const to = message.to[0] ?? null;
    return {
        ok: true,
        cpim: {
            from: from ? addressOf(from.uri) : null,
            fromDisplayName: from?.displayName ?? null,
            to: to ? addressOf(to.uri) : null,
            toDisplayName: to?.displayName ?? null,
            dateTime: message.dateTime,
            messageId: message.messageId,
            contentType: message.contentType,
            body: message.body,
        },
    };
}
