// Presence for the signed-in user: publishes the status chosen in the selector (RFC 3903 PUBLISH of a PIDF
// document) and watches the buddy list with one list subscription (RFC 4662 SUBSCRIBE to USER+buddies).
import { buildPIDF, MANUAL_STATES, parsePIDF, PIDF_CONTENT_TYPE } from "../sip/pidf.js";
import { MULTIPART_RELATED, parseListNotification, RLMI_CONTENT_TYPE } from "../sip/rlmi.js";
import { randomToken } from "../sip/random.js";
import { PRESENCE_NOTE_MAX_LENGTH } from "./presence-selector.js";

/** RFC 4662 §4.1 and the contract: what a list subscriber accepts. */
export const BUDDY_LIST_ACCEPT = Object.freeze([PIDF_CONTENT_TYPE, RLMI_CONTENT_TYPE, MULTIPART_RELATED]);
/** RFC 3856 §6.4: an hour is the usual lifetime of a presence subscription; the same for the publication. */
const DEFAULT_EXPIRES = 3600;
const FIRST_RESUBSCRIBE_DELAY_MS = 2000;
const MAX_RESUBSCRIBE_DELAY_MS = 5 * 60_000;
/** The shortest wait before subscribing again, so a notifier that keeps ending the subscription makes no loop. */
const MIN_RESUBSCRIBE_DELAY_MS = 1000;
/** A subscription that lived this long was a success: the backoff starts again from the beginning. */
const STABLE_SUBSCRIPTION_MS = 60_000;
/**
 * RFC 6665 §4.2.2: after "deactivated" or "timeout" the subscriber may subscribe again at once; RFC 6665 §4.1.2.2:
 * a 481 to a refresh means the subscription is gone and a new one may be made. Both after 1-2 s (jitter).
 */
const PROMPT_RESUBSCRIBE_REASONS = new Set(["deactivated", "timeout"]);
/** RFC 6665 §4.2.2: "rejected" and "noresource" should not be retried soon. */
const SLOW_RESUBSCRIBE_REASONS = new Set(["rejected", "noresource"]);
/** Our own endings: nothing to retry. */
const FINAL_REASONS = new Set(["unsubscribed", "stopped"]);
/** How long stop() waits for the removal of our publication and the end of the list subscription. */
const UNPUBLISH_WAIT_MS = 5000;

/**
 * @typedef {object} BuddyPresence
 * @property {string} user        "bob" for sip:bob@<our domain>, else "bob@example.org"
 * @property {string} uri         the resource URI from the list
 * @property {"available"|"away"|"busy"|"dnd"|"on-the-phone"|"offline"} state
 * @property {string} note
 * @property {boolean} onThePhone
 * @property {"available"|"away"|"busy"|"dnd"} manual
 */

/**
 * Events (CustomEvent): "change" {user, uri, state, note, onThePhone, manual, removed} whenever what is known
 * about a buddy changes (removed: true when the buddy left the list; the state is then "offline");
 * "publication" {state: "published"|"failed", status, reason} for our own status.
 */
export class PresenceService extends EventTarget {
    /**
     * @param {object} options
     * @param {import("../sip/user-agent.js").UserAgent} options.userAgent   started or not; the service follows
     *     its registrations
     * @param {number} [options.expires=3600]   lifetime asked for the publication and the list subscription
     * @param {{debug: Function, warn: Function}} [options.logger]   default: the UserAgent's
     */
    constructor({ userAgent, expires = DEFAULT_EXPIRES, logger }) {
        super();
        if (!userAgent?.aorURI) throw new TypeError("userAgent is required");
        this.userAgent = userAgent;
        this.expires = expires;
        this.logger = logger ?? userAgent.logger ?? { debug() {}, warn() {} };
        this.timers = userAgent.timers;
        this.random = userAgent.random ?? Math.random;
        this.domain = userAgent.aorURI.host.toLowerCase();
        this.entity = userAgent.aorURI.addressOfRecord;
        /** RFC 4662 list URI of the contract: sip:USER+buddies@DOMAIN */
        this.buddyListURI = `sip:${userAgent.aorURI.user}+buddies@${userAgent.aorURI.host}`;
        // Stable ids, so each modification describes the same tuple and person (RFC 3863 §4.1.3).
        this.tupleId = `t${randomToken(10)}`;
        this.personId = `p${randomToken(10)}`;
        /** @type {{state: string, note: string}|null} the manual status to publish */
        this.manual = null;
        this.publication = null;
        this.subscription = null;
        this.subscriptionListeners = null;
        this.subscriptionEpoch = -1;
        this.registrationEpoch = 0;
        this.listVersion = null;
        /** Set when a missed partial notification made us subscribe again; cleared by the next full state. */
        this.isRecoveringFullState = false;
        this.resubscribeTimer = null;
        this.resubscribeAttempt = 0;
        /** When the current list subscription was made (timers.now()), for the backoff reset. */
        this.subscribedAt = null;
        /** @type {Map<string, BuddyPresence>} */
        this.buddies = new Map();
        this.isStarted = false;
        this.isStopped = false;
        this.listeners = new AbortController();
    }

    /** Starts publishing (once a status is set) and subscribes to the buddy list when the UA is registered. */
    start() {
        if (this.isStarted || this.isStopped) return;
        this.isStarted = true;
        const options = { signal: this.listeners.signal };
        this.userAgent.addEventListener("statechange", (event) => {
            if (event.detail?.state === "registered") this.registered();
        }, options);
        this.publication = this.userAgent.createPublication({ event: "presence", expires: this.expires });
        this.publication.addEventListener("published", (event) => this.reportPublication("published", {
            status: 200, reason: "OK", ...event.detail }), options);
        this.publication.addEventListener("failed", (event) => this.reportPublication("failed", event.detail),
            options);
        if (this.manual !== null) this.publishManual();
        if (this.userAgent.state === "registered") this.subscribeList();
    }

    /**
     * Sets the status the user chose; published now (or once started and registered) and kept published.
     * @param {{state: "available"|"away"|"busy"|"dnd", note?: string}} status
     * @returns {Promise<{status: number, reason: string}>|null} the PUBLISH outcome; null before start()
     * @throws {TypeError} for an unknown state
     */
    setManualStatus({ state, note = "" }) {
        if (!MANUAL_STATES.includes(state)) throw new TypeError(`unknown presence state "${state}"`);
        const text = String(note ?? "").replace(/\s+/g, " ").trim().slice(0, PRESENCE_NOTE_MAX_LENGTH);
        this.manual = { state, note: text };
        if (!this.isStarted || this.isStopped) return null;
        return this.publishManual();
    }

    /** @returns {Map<string, BuddyPresence>} a copy of what is known about each buddy */
    snapshot() {
        return new Map([...this.buddies].map(([user, entry]) => [user, { ...entry }]));
    }

    /**
     * Removes our publication and ends the list subscription; the service cannot be started again and never
     * subscribes again. Call it before the UserAgent stops, so both requests go out on a live registration.
     * @returns {Promise<void>} once the removal is answered and the subscription has ended (at most 5 s; at once
     *     when the UA is not registered)
     */
    async stop() {
        if (this.isStopped) return;
        this.isStopped = true;
        this.listeners.abort();
        this.clearResubscribeTimer();
        const subscription = this.subscription;
        this.dropSubscription();
        this.buddies.clear();
        const publication = this.publication;
        this.publication = null;
        const waits = [];
        if (this.userAgent.state === "registered") {
            if (subscription && subscription.state !== "terminated") waits.push(endOf(subscription));
            if (publication) waits.push(publication.unpublish());
        }
        if (waits.length > 0) {
            let timer = null;
            const bound = new Promise((resolve) => {
                timer = this.timers.setTimeout(resolve, UNPUBLISH_WAIT_MS);
            });
            await Promise.race([Promise.all(waits), bound]);
            this.timers.clearTimeout(timer);
        }
        publication?.close();
    }

    // ----- publication -----

    publishManual() {
        const body = buildPIDF({
            entity: this.entity, manual: this.manual.state, note: this.manual.note,
            tupleId: this.tupleId, personId: this.personId,
        });
        return this.publication.publish(body);
    }

    reportPublication(state, { status, reason }) {
        this.dispatchEvent(new CustomEvent("publication", { detail: { state, status, reason } }));
    }

    // ----- list subscription -----

    /** Each new registration may be a new flow (a reconnect): the list subscription is made again on it. */
    registered() {
        this.registrationEpoch += 1;
        if (this.subscription === null || this.subscriptionEpoch < this.registrationEpoch) this.subscribeList();
    }

    subscribeList() {
        if (this.isStopped) return;
        this.clearResubscribeTimer();
        this.dropSubscription();
        this.listVersion = null;
        let subscription;
        try {
            subscription = this.userAgent.subscribe(this.buddyListURI, "presence", {
                accept: [...BUDDY_LIST_ACCEPT], expires: this.expires, supported: ["eventlist"],
            });
        } catch (error) {
            this.logger.warn("presence: cannot subscribe to the buddy list:", error);
            return;
        }
        this.subscription = subscription;
        this.subscribedAt = this.timers.now();
        this.subscriptionEpoch = this.registrationEpoch;
        this.subscriptionListeners = new AbortController();
        const options = { signal: this.subscriptionListeners.signal };
        subscription.addEventListener("notify", (event) => this.receiveNotify(event.detail ?? {}), options);
        subscription.addEventListener("terminated", (event) => this.subscriptionEnded(event.detail ?? {}), options);
    }

    /** Forgets the current subscription (ending it at the server if it is still alive). */
    dropSubscription() {
        const subscription = this.subscription;
        this.subscriptionListeners?.abort();
        this.subscriptionListeners = null;
        this.subscription = null;
        if (subscription && subscription.state !== "terminated") subscription.unsubscribe();
    }

    subscriptionEnded({ reason, retryAfter }) {
        this.subscriptionListeners?.abort();
        this.subscriptionListeners = null;
        this.subscription = null;
        const why = String(reason ?? "");
        if (this.isStopped || FINAL_REASONS.has(why)) return;
        // Only a subscription that lasted resets the backoff: one the notifier ends at once must not loop.
        if (this.subscribedAt !== null && this.timers.now() - this.subscribedAt >= STABLE_SUBSCRIPTION_MS) {
            this.resubscribeAttempt = 0;
        }
        // Not registered: the next registration subscribes again (see registered()).
        if (this.userAgent.state !== "registered") return;
        const status = Number(/^([0-9]{3}) /.exec(why)?.[1] ?? Number.NaN);
        let delay;
        if (PROMPT_RESUBSCRIBE_REASONS.has(why) || status === 481) {
            delay = this.backoff(MIN_RESUBSCRIBE_DELAY_MS, 1 + this.random());
        } else if (SLOW_RESUBSCRIBE_REASONS.has(why) ||
            (status >= 400 && status < 500 && status !== 408)) {
            delay = MAX_RESUBSCRIBE_DELAY_MS;
        } else {
            delay = this.backoff(FIRST_RESUBSCRIBE_DELAY_MS, 1 - 0.25 * this.random());
        }
        // RFC 6665 §4.1.3: with retry-after (probation, giveup) the subscriber waits at least that long.
        const floor = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0;
        delay = Math.max(delay, MIN_RESUBSCRIBE_DELAY_MS, floor);
        this.resubscribeAttempt = Math.min(this.resubscribeAttempt + 1, 16);
        this.logger.debug(`presence: buddy list subscription ended (${why}); again in ${delay} ms`);
        this.resubscribeTimer = this.timers.setTimeout(() => {
            this.resubscribeTimer = null;
            this.subscribeList();
        }, delay);
    }

    /** @param {number} first delay of the first attempt @param {number} jitter factor @returns {number} ms */
    backoff(first, jitter) {
        const base = Math.min(MAX_RESUBSCRIBE_DELAY_MS, first * 2 ** this.resubscribeAttempt);
        return Math.round(Math.min(MAX_RESUBSCRIBE_DELAY_MS, base * jitter));
    }

    clearResubscribeTimer() {
        if (this.resubscribeTimer !== null) this.timers.clearTimeout(this.resubscribeTimer);
        this.resubscribeTimer = null;
    }

    receiveNotify({ contentType, body }) {
        if (typeof body !== "string" || body.trim() === "") return; // e.g. pending, or the final NOTIFY
        const mediaType = String(contentType ?? "").split(";")[0].trim().toLowerCase();
        try {
            if (mediaType === MULTIPART_RELATED || mediaType === RLMI_CONTENT_TYPE) {
                this.applyList(parseListNotification(contentType, body));
            } else if (mediaType === PIDF_CONTENT_TYPE) {
                // A notifier that does not do lists for us (no eventlist) may still send one presentity's state.
                const presence = parsePIDF(body);
                this.update(userOf(presence.entity, this.domain), presence.entity, presence);
            } else {
                this.logger.warn(`presence: NOTIFY body of type ${mediaType || "(none)"} ignored`);
            }
        } catch (error) {
            this.logger.warn("presence: unusable NOTIFY body:", error.message);
        }
    }

    /** RFC 4662 §5.2: full state replaces what we know; partial state changes only the resources it names. */
    applyList(list) {
        if (this.listVersion !== null && list.version <= this.listVersion) {
            this.logger.debug(`presence: stale list version ${list.version} ignored`);
            return;
        }
        // A partial notification that does not follow the previous one means we missed a change.
        const missedSome = !list.fullState && (this.listVersion === null || list.version !== this.listVersion + 1);
        this.listVersion = list.version;
        const seen = new Set();
        for (const resource of list.resources) {
            const user = userOf(resource.uri, this.domain);
            seen.add(user);
            if (resource.error) this.logger.debug(`presence: ${resource.error}`);
            if (resource.state === "terminated") {
                this.remove(user);
            } else if (resource.presence) {
                this.update(user, resource.uri, resource.presence);
            } else if (!this.buddies.has(user)) {
                // Listed, but no state yet (pending authorization, or no part): shown as offline.
                this.update(user, resource.uri, { state: "offline", note: "", onThePhone: false, manual: "available" });
            }
        }
        if (list.fullState) {
            this.isRecoveringFullState = false;
            for (const user of [...this.buddies.keys()]) if (!seen.has(user)) this.remove(user);
        }
        if (missedSome && !this.isRecoveringFullState) {
            this.isRecoveringFullState = true;
            // Full state comes with a new subscription (RFC 4662 §5.3: the first NOTIFY is full state).
            this.logger.debug("presence: list notification missed; subscribing again for full state");
            this.subscribeList();
        }
    }

    update(user, uri, { state, note, onThePhone, manual }) {
        const entry = { user, uri, state, note, onThePhone, manual };
        const previous = this.buddies.get(user);
        this.buddies.set(user, entry);
        if (previous && previous.state === state && previous.note === note && previous.onThePhone === onThePhone &&
            previous.manual === manual) {
            return;
        }
        this.dispatchEvent(new CustomEvent("change", { detail: { ...entry, removed: false } }));
    }

    remove(user) {
        const previous = this.buddies.get(user);
        if (!previous) return;
        this.buddies.delete(user);
        this.dispatchEvent(new CustomEvent("change", { detail: {
            user, uri: previous.uri, state: "offline", note: "", onThePhone: false, manual: "available", removed: true,
        } }));
    }
}

/**
 * @param {EventTarget} subscription
 * @returns {Promise<void>} resolved when it dispatches "terminated"
 */
function endOf(subscription) {
    return new Promise((resolve) => subscription.addEventListener("terminated", () => resolve(), { once: true }));
}

/**
 * The name a buddy is known by: the user part for our own domain, else user@host.
 * @param {string} uri   sip:, sips: or pres: URI
 * @param {string} domain  our domain, lower case
 * @returns {string}
 */
export function userOf(uri, domain) {
    const match = /^(?:sips?|pres):([^@;?>\s]+)@([^;?>\s]+)/i.exec(String(uri).trim());
    if (!match) return String(uri).trim();
    let user = match[1];
    try {
        user = decodeURIComponent(user);
    } catch {
        // A malformed escape: the name as written.
    }
    const host = match[2].toLowerCase();
    return host === domain ? user : `${user}@${host}`;
}
