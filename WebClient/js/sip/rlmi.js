// Resource list notifications (RFC 4662): a multipart/related body (RFC 2387, RFC 2046 §5.1) whose root is an
// RLMI document listing the resources, and one application/pidf+xml part per resource, found by Content-ID.
import { parseParameters, unquote } from "./grammar.js";
import { parsePIDF, PIDF_CONTENT_TYPE } from "./pidf.js";
import { parseXML, XMLParseError } from "./xml-reader.js";

const RLMI_NAMESPACE = "urn:ietf:params:xml:ns:rlmi";
export const RLMI_CONTENT_TYPE = "application/rlmi+xml";
export const MULTIPART_RELATED = "multipart/related";

/** Bounds of one notification: a buddy list of a few hundred people stays far below them. */
const MULTIPART_LIMITS = Object.freeze({ maxBytes: 1024 * 1024, maxParts: 1024, maxHeaders: 32 });
const INSTANCE_STATES = new Set(["active", "pending", "terminated"]);
// RFC 2046 §5.1.1: 1 to 70 bchars, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const TRANSFER_ENCODINGS_AS_IS = new Set(["7bit", "8bit", "binary"]);

/** A malformed multipart body or resource list notification. */
export class MultipartError extends Error {
    constructor(message) {
        super(message);
        this.name = "MultipartError";
    }
}

/**
 * @typedef {object} BodyPart
 * @property {Map<string, string>} headers   lower-case names
 * @property {string} contentType            as written ("text/plain" when absent, RFC 2045 §5.2)
 * @property {string} mediaType              lower case, without parameters
 * @property {string|null} contentId         without the angle brackets
 * @property {string} body
 */

/**
 * Splits a multipart/related body (CRLF line ends) into its parts.
 * @param {string} contentType   the Content-Type header, with its boundary parameter
 * @param {string} body
 * @param {Partial<typeof MULTIPART_LIMITS>} [limits]
 * @returns {{type: string|null, start: string|null, parts: BodyPart[], root: BodyPart}}
 *     type and start are the RFC 2387 parameters (start without brackets); root is the start part, else the first
 * @throws {MultipartError}
 */
export function parseMultipartRelated(contentType, body, limits = {}) {
    const bounds = { ...MULTIPART_LIMITS, ...limits };
    const { mediaType, parameters } = parseContentType(contentType);
    if (mediaType !== MULTIPART_RELATED) throw new MultipartError(`expected ${MULTIPART_RELATED}, got ${mediaType}`);
    const boundary = parameters.get("boundary");
    if (!boundary || !BOUNDARY.test(boundary)) throw new MultipartError("missing or malformed boundary parameter");
    if (typeof body !== "string") throw new MultipartError("the body is not text");
    if (body.length > bounds.maxBytes) throw new MultipartError(`the body is larger than ${bounds.maxBytes} bytes`);

    const delimiter = `--${boundary}`;
    // RFC 2046 §5.1.1: a delimiter is CRLF "--" boundary; the first may start the body (no preamble).
    let index = body.startsWith(delimiter) ? 0 : body.indexOf(`\r\n${delimiter}`);
    if (index < 0) throw new MultipartError("the boundary does not occur in the body");
    if (index > 0) index += 2;
    const parts = [];
    for (;;) {
        let cursor = index + delimiter.length;
        if (body.startsWith("--", cursor)) break; // the close delimiter; what follows is the epilogue
        while (body[cursor] === " " || body[cursor] === "\t") cursor += 1; // transport padding
        if (!body.startsWith("\r\n", cursor)) throw new MultipartError("a boundary line does not end in CRLF");
        const start = cursor + 2;
        const next = findDelimiter(body, delimiter, start - 2);
        if (next < 0) throw new MultipartError("no closing boundary");
        if (parts.length >= bounds.maxParts) throw new MultipartError(`more than ${bounds.maxParts} parts`);
        // The part ends before the CRLF of the next delimiter (that CRLF belongs to the delimiter).
        parts.push(parsePart(next < start ? "" : body.slice(start, next), bounds));
        index = next + 2;
    }
    if (parts.length === 0) throw new MultipartError("no body part");

    const start = parameters.has("start") ? stripAngles(parameters.get("start")) : null;
    const root = start === null ? parts[0] : parts.find((part) => part.contentId === start);
    if (!root) throw new MultipartError(`no part has the start Content-ID <${start}>`);
    return { type: parameters.get("type")?.toLowerCase() ?? null, start, parts, root };
}

/**
 * @typedef {object} RLMIList
 * @property {string} uri
 * @property {number} version
 * @property {boolean} fullState
 * @property {string|null} name
 * @property {{uri: string, name: string|null,
 *     instances: {id: string, state: string, reason: string|null, cid: string|null}[]}[]} resources
 */

/**
 * Parses an RLMI document (RFC 4662 §5.2).
 * @param {string} xml
 * @returns {RLMIList}
 * @throws {XMLParseError}
 */
export function parseRLMI(xml) {
    const list = parseXML(xml);
    if (!list.is(RLMI_NAMESPACE, "list")) {
        throw new XMLParseError(`not an RLMI document: the root is "${list.localName}"`);
    }
    const uri = required(list, "uri", "list");
    const versionText = required(list, "version", "list");
    // xs:unsignedInt
    if (!/^[0-9]{1,10}$/.test(versionText) || Number(versionText) > 0xFFFFFFFF) {
        throw new XMLParseError(`RLMI list version "${versionText.slice(0, 20)}" is not an unsigned integer`);
    }
    const fullStateText = required(list, "fullState", "list");
    // xs:boolean
    if (!["true", "false", "1", "0"].includes(fullStateText)) {
        throw new XMLParseError(`RLMI fullState "${fullStateText.slice(0, 20)}" is not a boolean`);
    }
    const resources = list.elements(RLMI_NAMESPACE, "resource").map((resource) => ({
        uri: required(resource, "uri", "resource"),
        name: firstName(resource),
        instances: resource.elements(RLMI_NAMESPACE, "instance").map((instance) => {
            const state = required(instance, "state", "instance");
            if (!INSTANCE_STATES.has(state)) throw new XMLParseError(`RLMI instance state "${state.slice(0, 20)}"`);
            return {
                id: required(instance, "id", "instance"), state,
                reason: instance.attribute("reason")?.trim() || null, cid: instance.attribute("cid")?.trim() || null,
            };
        }),
    }));
    return { uri, version: Number(versionText), fullState: fullStateText === "true" || fullStateText === "1",
        name: firstName(list), resources };
}

/**
 * @typedef {object} ResourceState
 * @property {string} uri
 * @property {string|null} name
 * @property {"active"|"pending"|"terminated"|null} state   of the instance used (null: the resource has none)
 * @property {string|null} reason                             why a terminated instance ended (e.g. deactivated)
 * @property {import("./pidf.js").PresenceStatus|null} presence   null when no usable PIDF part came with it
 * @property {string|null} error                              why a part that came with it could not be used
 */

/**
 * Parses a NOTIFY body of a list subscription: multipart/related with an RLMI root, or a bare RLMI document.
 * A PIDF part that cannot be used spoils only its own resource (`error` set), never the whole notification.
 * @param {string} contentType
 * @param {string} body
 * @returns {{uri: string, version: number, fullState: boolean, name: string|null, resources: ResourceState[]}}
 * @throws {MultipartError|XMLParseError} when the body as a whole is unusable
 */
export function parseListNotification(contentType, body) {
    const { mediaType } = parseContentType(contentType);
    if (mediaType === RLMI_CONTENT_TYPE) return resolveResources(parseRLMI(body), []);
    const multipart = parseMultipartRelated(contentType, body);
    if (multipart.type !== null && multipart.type !== RLMI_CONTENT_TYPE) {
        throw new MultipartError(`multipart/related of type ${multipart.type}, not ${RLMI_CONTENT_TYPE}`);
    }
    if (multipart.root.mediaType !== RLMI_CONTENT_TYPE) {
        throw new MultipartError(`the root part is ${multipart.root.mediaType}, not ${RLMI_CONTENT_TYPE}`);
    }
    return resolveResources(parseRLMI(multipart.root.body), multipart.parts);
}

/**
 * Parses a Content-Type value.
 * @param {string} value
 * @returns {{mediaType: string, parameters: Map<string, string>}}  parameter values unquoted
 * @throws {MultipartError}
 */
export function parseContentType(value) {
    if (typeof value !== "string") throw new MultipartError("missing Content-Type");
    const semicolon = value.indexOf(";");
    const mediaType = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
    if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType)) {
        throw new MultipartError(`malformed Content-Type "${value.slice(0, 60)}"`);
    }
    let raw;
    try {
        raw = parseParameters(semicolon < 0 ? "" : value.slice(semicolon));
    } catch (error) {
        throw new MultipartError(`malformed Content-Type parameters: ${error.message}`);
    }
    const parameters = new Map();
    for (const [name, parameterValue] of raw) parameters.set(name, unquote(parameterValue ?? ""));
    return { mediaType, parameters };
}

function resolveResources(list, parts) {
    const partsById = new Map(parts.filter((part) => part.contentId !== null).map((part) => [part.contentId, part]));
    const resources = list.resources.map((resource) => {
        // Several instances (several notifiers): the first whose part came with this notification.
        const instance = resource.instances.find((candidate) => candidate.cid && partsById.has(candidate.cid)) ??
            resource.instances[0] ?? null;
        const result = { uri: resource.uri, name: resource.name, state: instance?.state ?? null,
            reason: instance?.reason ?? null, presence: null, error: null };
        const part = instance?.cid ? partsById.get(instance.cid) : undefined;
        if (instance?.cid && !part) result.error = `no part with Content-ID <${instance.cid}>`;
        if (!part) return result;
        if (part.mediaType !== PIDF_CONTENT_TYPE) {
            result.error = part.mediaType === MULTIPART_RELATED ? "nested resource lists are not supported" :
                `unsupported part type ${part.mediaType}`;
            return result;
        }
        try {
            result.presence = parsePIDF(part.body);
        } catch (error) {
            result.error = `bad PIDF for ${resource.uri}: ${error.message}`;
        }
        return result;
    });
    return { uri: list.uri, version: list.version, fullState: list.fullState, name: list.name, resources };
}

/**
 * The index of the next CRLF "--" boundary that really is a delimiter line (followed by "--", or by optional
 * padding and CRLF), so that body text merely starting like the boundary is skipped; -1 when none.
 */
function findDelimiter(body, delimiter, from) {
    for (let index = body.indexOf(`\r\n${delimiter}`, from); index >= 0;
        index = body.indexOf(`\r\n${delimiter}`, index + 2)) {
        const after = index + 2 + delimiter.length;
        if (body.startsWith("--", after) || /^[ \t]*\r\n/.test(body.slice(after, after + 80))) return index;
    }
    return -1;
}

/** RFC 2045 §3: header lines up to the first empty line, then the content. */
function parsePart(text, bounds) {
    const end = text.startsWith("\r\n") ? 0 : text.indexOf("\r\n\r\n");
    if (end < 0) throw new MultipartError("a body part has no empty line after its headers");
    const headers = new Map();
    const lines = end === 0 ? [] : text.slice(0, end).split("\r\n");
    let last = null;
    for (const line of lines) {
        if (/^[ \t]/.test(line) && last !== null) {
            headers.set(last, `${headers.get(last)} ${line.trim()}`); // RFC 5322 §2.2.3 folding
            continue;
        }
        const colon = line.indexOf(":");
        if (colon <= 0 || !/^[!-9;-~]+$/.test(line.slice(0, colon).trim())) {
            throw new MultipartError(`malformed body part header "${line.slice(0, 60)}"`);
        }
        if (headers.size >= bounds.maxHeaders) throw new MultipartError("too many headers in a body part");
        last = line.slice(0, colon).trim().toLowerCase();
        if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
    }
    const contentType = headers.get("content-type") ?? "text/plain";
    const { mediaType } = parseContentType(contentType);
    const contentId = headers.has("content-id") ? stripAngles(headers.get("content-id")) : null;
    let body = text.slice(end === 0 ? 2 : end + 4);
    const encoding = (headers.get("content-transfer-encoding") ?? "binary").toLowerCase();
    if (encoding === "base64") {
        body = decodeBase64(body);
    } else if (!TRANSFER_ENCODINGS_AS_IS.has(encoding)) {
        throw new MultipartError(`unsupported Content-Transfer-Encoding ${encoding.slice(0, 30)}`);
    }
    return { headers, contentType, mediaType, contentId, body };
}

function decodeBase64(text) {
    const compact = text.replace(/[\r\n\t ]/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
        throw new MultipartError("malformed base64 body part");
    }
    const bytes = Uint8Array.from(globalThis.atob(compact), (character) => character.charCodeAt(0));
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw new MultipartError("a base64 body part is not UTF-8");
    }
}

/** "<abc@x>" -> "abc@x" (RFC 2392: Content-ID is a msg-id; RLMI's cid attribute has no brackets). */
function stripAngles(value) {
    const trimmed = value.trim();
    return trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1).trim() : trimmed;
}

function required(element, name, what) {
    const value = element.attribute(name)?.trim();
    if (!value) throw new XMLParseError(`RLMI ${what} without ${name}`);
    return value;
}

/** The first rlmi:name child's text (RFC 4662 §5.2: a display name, maybe in several languages). */
function firstName(element) {
    const name = element.element(RLMI_NAMESPACE, "name")?.textContent.replace(/\s+/g, " ").trim();
    return name || null;
}
