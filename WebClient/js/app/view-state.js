// Pure mappings from SIP state (UserAgent registration, CallSession) to what the page shows.
// The DOM modules only copy these values into elements, so the rules live here and are unit-tested.

import { formatDuration, formatStatus, partyLabel } from "./format.js";

const REGISTRATION_VIEWS = {
    stopped: { text: "Offline", tone: "idle" },
    connecting: { text: "Connecting…", tone: "pending" },
    registering: { text: "Registering…", tone: "pending" },
    registered: { text: "Registered", tone: "ok" },
    reconnecting: { text: "Reconnecting…", tone: "pending" },
    failed: { text: "Registration failed", tone: "error" },
};

/**
 * What the registration badge shows for a UserAgent state.
 * @param {string} state UserAgent.state ("stopped" | "connecting" | "registering" | "registered" | ...)
 * @param {string} [reason] statechange reason, shown for "reconnecting" and "failed"
 * @returns {{dataState: string, text: string, tone: "idle"|"pending"|"ok"|"error"}}
 */
export function registrationViewState(state, reason) {
    const known = Object.hasOwn(REGISTRATION_VIEWS, state) ? REGISTRATION_VIEWS[state] : null;
    const dataState = typeof state === "string" && state !== "" ? state : "stopped";
    if (!known) {
        const text = dataState === "stopped" ? "Offline" : `Unknown state (${dataState})`;
        return { dataState, text, tone: "idle" };
    }
    const detail = typeof reason === "string" ? reason.trim() : "";
    if (detail && (state === "reconnecting" || state === "failed")) {
        const text = state === "failed" ? `${known.text}: ${detail}` : `${known.text} (${detail})`;
        return { dataState, text, tone: known.tone };
    }
    return { dataState, text: known.text, tone: known.tone };
}

/**
 * Why a call ended, in words.
 * @param {{cause?: string, status?: number, reason?: string}|null|undefined} end detail of CallSession "ended"
 * @param {{direction?: string, wasConnected?: boolean}} [context]
 * @returns {string}
 */
export function endReasonText(end, { direction = "outgoing", wasConnected = false } = {}) {
    const incoming = direction === "incoming";
    const status = Number(end?.status);
    const hasStatus = Number.isInteger(status) && status >= 100;
    switch (end?.cause) {
    case "hangup":
        if (wasConnected) return "you hung up";
        return incoming ? "declined" : "canceled";
    case "canceled":
        return "canceled";
    case "remote-hangup":
        if (!wasConnected && incoming) return "missed call";
        return "the other side hung up";
    case "rejected":
        if (incoming) return "declined";
        return hasStatus ? formatStatus(status, end.reason) : "rejected";
    case "failed": {
        if (hasStatus) return `failed (${formatStatus(status, end.reason)})`;
        const reason = typeof end.reason === "string" ? end.reason.trim() : "";
        return reason ? `failed (${reason})` : "failed";
    }
    default: {
        const reason = typeof end?.reason === "string" ? end.reason.trim() : "";
        return reason || "call ended";
    }
    }
}

const CALL_STATE_TEXT = {
    calling: "Calling…",
    ringing: "Ringing…",
    incoming: "Incoming call…",
    connected: "Connected",
};

/**
 * @typedef {object} CallSnapshot
 * @property {string|null} state CallSession.state, null when there is no call
 * @property {string} [direction] "outgoing" | "incoming"
 * @property {{uri?: string, displayName?: string|null}|null} [remoteIdentity]
 * @property {string} [dialedTarget] what the user typed (shown until the session knows the peer)
 * @property {number|null} [startedAt] ms when the call became connected
 * @property {number|null} [endedAt] ms when the call ended (freezes the timer)
 * @property {boolean} [wasConnected]
 * @property {boolean} [muted]
 * @property {boolean} [accepting] the user pressed Accept and the answer is under way
 * @property {{cause?: string, status?: number, reason?: string}|null} [end]
 */

/**
 * What the call view shows for a call snapshot.
 * @param {CallSnapshot|null} snapshot
 * @param {number} now current time in ms (the timer is now - startedAt)
 * @returns {{hidden: boolean, dataState: string, peerText: string, statusText: string, timerText: string,
 *   timerVisible: boolean, hangupEnabled: boolean, muteEnabled: boolean, mutePressed: boolean,
 *   keypadEnabled: boolean, dialogOpen: boolean, callerText: string, canDial: boolean}}
 */
export function callViewState(snapshot, now) {
    const state = snapshot?.state ?? null;
    if (!state) {
        return {
            hidden: true, dataState: "idle", peerText: "", statusText: "", timerText: formatDuration(0),
            timerVisible: false, hangupEnabled: false, muteEnabled: false, mutePressed: false,
            keypadEnabled: false, dialogOpen: false, callerText: "", canDial: true,
        };
    }
    const peerText = partyLabel(snapshot.remoteIdentity, snapshot.dialedTarget || "unknown");
    const wasConnected = Boolean(snapshot.wasConnected || state === "connected");
    const startedAt = Number.isFinite(snapshot.startedAt) ? snapshot.startedAt : null;
    const endedAt = Number.isFinite(snapshot.endedAt) ? snapshot.endedAt : now;
    const elapsed = startedAt === null ? 0 : (state === "ended" ? endedAt : now) - startedAt;
    const ended = state === "ended";
    const statusText = ended
        ? `Ended: ${endReasonText(snapshot.end, { direction: snapshot.direction, wasConnected })}`
        : CALL_STATE_TEXT[state] ?? state;
    const connected = state === "connected";
    return {
        hidden: false,
        dataState: state,
        peerText,
        statusText,
        timerText: formatDuration(elapsed),
        timerVisible: wasConnected,
        hangupEnabled: !ended,
        muteEnabled: connected,
        mutePressed: connected && Boolean(snapshot.muted),
        keypadEnabled: connected,
        dialogOpen: state === "incoming" && !snapshot.accepting,
        callerText: state === "incoming" ? peerText : "",
        canDial: ended,
    };
}
