// Presence documents: PIDF (RFC 3863) with the data model's person (RFC 4479) and RPID activities (RFC 4480),
// mapped to and from Parley's status model. Parsing is lenient about what other clients add (baresip, linphone:
// contacts, timestamps, devices, unknown extensions are ignored) and strict about XML itself.
import { escapeXML, parseXML, XMLParseError } from "./xml-reader.js";
import { randomToken } from "./random.js";

export const PIDF_NAMESPACE = "urn:ietf:params:xml:ns:pidf";
export const DATA_MODEL_NAMESPACE = "urn:ietf:params:xml:ns:pidf:data-model";
export const RPID_NAMESPACE = "urn:ietf:params:xml:ns:pidf:rpid";
export const PIDF_CONTENT_TYPE = "application/pidf+xml";

/** What a user chooses (the presence selector). */
export const MANUAL_STATES = Object.freeze(["available", "away", "busy", "dnd"]);
/** What others are shown: a manual state, or on the phone, or offline (no device registered). */
const PRESENCE_STATES = Object.freeze(["available", "away", "busy", "dnd", "on-the-phone", "offline"]);
/** Longest note kept from a received document (a note is one line of status text, not a message). */
const RECEIVED_NOTE_MAX_LENGTH = 256;

/** The rpid:other text that, with rpid:busy, says "do not disturb" (Parley's contract). */
const DO_NOT_DISTURB = "do-not-disturb";
const DO_NOT_DISTURB_WORDS = new Set([DO_NOT_DISTURB, "dnd", "do not disturb"]);
// RFC 4480 §3.2 activities that other clients publish, folded into the nearest manual state.
const BUSY_ACTIVITIES = new Set(["busy", "appointment", "meeting", "performance", "presentation"]);
const AWAY_ACTIVITIES = new Set(["away", "breakfast", "dinner", "meal", "holiday", "vacation", "sleeping", "travel",
    "in-transit", "permanent-absence", "steering", "shopping"]);
const XML_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const ENTITY_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/;

/**
 * @typedef {object} PresenceStatus
 * @property {string} entity        the presentity, e.g. sip:alice@localhost
 * @property {"open"|"closed"} basic
 * @property {"available"|"away"|"busy"|"dnd"} manual   what the person chose (from the RPID activities)
 * @property {boolean} onThePhone   rpid:on-the-phone (Parley adds it during a call)
 * @property {"available"|"away"|"busy"|"dnd"|"on-the-phone"|"offline"} state   the one value to show:
 *     offline when closed, else dnd, else on-the-phone, else the manual state
 * @property {string} note
 * @property {string[]} activities  every RPID activity element's local name, in document order
 */

/**
 * The state to show for a combination (offline > dnd > on-the-phone > busy/away/available).
 * @param {{basic: string, manual: string, onThePhone: boolean}} status
 * @returns {string} one of PRESENCE_STATES
 */
export function displayState({ basic, manual, onThePhone }) {
    if (basic === "closed") return "offline";
    if (manual === "dnd") return "dnd";
    if (onThePhone) return "on-the-phone";
    return manual;
}

/**
 * Builds the PIDF document a client publishes (the contract's shape).
 * @param {object} status
 * @param {string} status.entity            e.g. sip:alice@localhost
 * @param {string} [status.state]           any of PRESENCE_STATES; sets manual/onThePhone/basic not given below
 * @param {string} [status.manual]          one of MANUAL_STATES (default from `state`, else "available")
 * @param {boolean} [status.onThePhone]     default: state is "on-the-phone"
 * @param {"open"|"closed"} [status.basic]  default: "closed" when state is "offline", else "open"
 * @param {string} [status.note]
 * @param {string} [status.tupleId]         an XML ID; random when omitted (keep it stable across updates)
 * @param {string} [status.personId]
 * @returns {string}
 * @throws {TypeError} for an unknown state, a malformed entity or id
 */
export function buildPIDF({ entity, state, manual, onThePhone, basic, note = "", tupleId, personId }) {
    if (typeof entity !== "string" || !ENTITY_URI.test(entity)) throw new TypeError("entity must be a URI");
    if (state !== undefined && !PRESENCE_STATES.includes(state)) throw new TypeError(`unknown state "${state}"`);
    const chosen = manual ?? (MANUAL_STATES.includes(state) ? state : "available");
    if (!MANUAL_STATES.includes(chosen)) throw new TypeError(`unknown manual state "${chosen}"`);
    const phone = onThePhone ?? state === "on-the-phone";
    const basicStatus = basic ?? (state === "offline" ? "closed" : "open");
    if (basicStatus !== "open" && basicStatus !== "closed") throw new TypeError("basic must be open or closed");
    const tuple = tupleId ?? `t${randomToken(10)}`;
    const person = personId ?? `p${randomToken(10)}`;
    if (!XML_ID.test(tuple) || !XML_ID.test(person)) throw new TypeError("tupleId and personId must be XML IDs");
    const text = normalizeNote(note, Infinity);

    const activities = activitiesFor(chosen, phone);
    const lines = [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        `<presence xmlns="${PIDF_NAMESPACE}" xmlns:dm="${DATA_MODEL_NAMESPACE}" xmlns:rpid="${RPID_NAMESPACE}"` +
            ` entity="${escapeXML(entity)}">`,
        `<tuple id="${tuple}"><status><basic>${basicStatus}</basic></status></tuple>`,
    ];
    // RFC 4479 §3.3: the person carries what the user does; "available" with no note needs none.
    if (activities.length > 0 || text !== "") {
        const activityXML = activities.length === 0 ? "" : "<rpid:activities>" + activities.map((activity) =>
            activity === DO_NOT_DISTURB ? `<rpid:other>${DO_NOT_DISTURB}</rpid:other>` : `<rpid:${activity}/>`)
            .join("") + "</rpid:activities>";
        const noteXML = text === "" ? "" : `<dm:note>${escapeXML(text)}</dm:note>`;
        lines.push(`<dm:person id="${person}">${activityXML}${noteXML}</dm:person>`);
    }
    lines.push("</presence>");
    return lines.join("\r\n") + "\r\n";
}

/**
 * The RPID activities of a manual state (Parley's contract): away -> away; busy -> busy;
 * dnd -> busy plus other "do-not-disturb"; on the phone adds on-the-phone. "do-not-disturb" stands for the
 * rpid:other element.
 * @param {string} manual
 * @param {boolean} [onThePhone=false]
 * @returns {string[]}
 */
export function activitiesFor(manual, onThePhone = false) {
    const activities = { available: [], away: ["away"], busy: ["busy"], dnd: ["busy", DO_NOT_DISTURB] }[manual];
    if (!activities) throw new TypeError(`unknown manual state "${manual}"`);
    return onThePhone ? ["on-the-phone", ...activities] : [...activities];
}

/**
 * Parses a PIDF document into the status model.
 * basic: "open" when any tuple is open; when no tuple says open or closed (baresip may send "unknown"), a
 * person with activities counts as open; otherwise "closed".
 * @param {string} xml
 * @returns {PresenceStatus}
 * @throws {XMLParseError} for malformed XML or a document that is not PIDF
 */
export function parsePIDF(xml) {
    const root = parseXML(xml);
    if (!root.is(PIDF_NAMESPACE, "presence")) {
        const namespace = root.namespace ?? "no namespace";
        throw new XMLParseError(`not a PIDF document: the root is "${root.localName}" in ${namespace}`);
    }
    const entity = (root.attribute("entity") ?? "").trim();
    // RFC 3863 §4.1.2: the entity attribute is mandatory.
    if (entity === "") throw new XMLParseError("PIDF presence without entity");

    const tuples = root.elements(PIDF_NAMESPACE, "tuple");
    const basics = tuples.map((tuple) => tuple.element(PIDF_NAMESPACE, "status")?.element(PIDF_NAMESPACE, "basic"))
        .filter(Boolean).map((basic) => basic.textContent.trim().toLowerCase());
    const persons = root.elements(DATA_MODEL_NAMESPACE, "person");

    const activities = [];
    const otherTexts = [];
    for (const person of persons) {
        for (const container of person.elements(RPID_NAMESPACE, "activities")) {
            for (const activity of container.elements(RPID_NAMESPACE)) {
                if (activity.localName === "note") continue; // RFC 4480 §3.2: a note about the activities
                activities.push(activity.localName);
                if (activity.localName === "other") otherTexts.push(activity.textContent.trim().toLowerCase());
            }
        }
    }

    let basic;
    if (basics.includes("open")) basic = "open";
    else if (basics.includes("closed")) basic = "closed";
    else basic = activities.length > 0 ? "open" : "closed";

    let manual = "available";
    if (otherTexts.some((text) => DO_NOT_DISTURB_WORDS.has(text))) manual = "dnd";
    else if (activities.some((activity) => BUSY_ACTIVITIES.has(activity))) manual = "busy";
    else if (activities.some((activity) => AWAY_ACTIVITIES.has(activity))) manual = "away";
    const onThePhone = activities.includes("on-the-phone");

    // The person's dm:note first (RFC 4479 §3.3), then a tuple's note, then one directly in presence (RFC 3863).
    const noteElements = [
        ...persons.flatMap((person) => person.elements(DATA_MODEL_NAMESPACE, "note")),
        ...tuples.flatMap((tuple) => tuple.elements(PIDF_NAMESPACE, "note")),
        ...root.elements(PIDF_NAMESPACE, "note"),
    ];
    const note = noteElements.map((element) => normalizeNote(element.textContent, RECEIVED_NOTE_MAX_LENGTH))
        .find((text) => text !== "") ?? "";

    return {
        entity, basic, manual, onThePhone, state: displayState({ basic, manual, onThePhone }), note, activities,
    };
}

/** One line, trimmed, at most `maxLength` characters (code points, so no half emoji). */
function normalizeNote(note, maxLength) {
    const text = String(note ?? "").replace(/\s+/g, " ").trim();
    const characters = [...text];
    return characters.length > maxLength ? characters.slice(0, maxLength).join("") : text;
}
