// Waiting for ICE candidates before sending SDP: this UA does not trickle (the SDP carries every candidate).

/** How long to wait for gathering to complete before sending what has been gathered. */
export const ICE_GATHERING_TIMEOUT_MS = 2000;

/**
 * Resolves when `peerConnection.iceGatheringState` is "complete" or after `timeout` ms, whichever is first.
 * @param {RTCPeerConnection} peerConnection
 * @param {{setTimeout: Function, clearTimeout: Function}} timers
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
export function waitForIceGathering(peerConnection, timers, timeout = ICE_GATHERING_TIMEOUT_MS) {
    if (peerConnection.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
        const finish = () => {
            timers.clearTimeout(timer);
            peerConnection.removeEventListener?.("icegatheringstatechange", onChange);
            peerConnection.removeEventListener?.("icecandidate", onCandidate);
            resolve();
        };
        const onChange = () => {
            if (peerConnection.iceGatheringState === "complete") finish();
        };
        // A null candidate also marks the end of gathering (older browsers fire only that).
        const onCandidate = (event) => {
            if (!event.candidate) finish();
        };
        const timer = timers.setTimeout(finish, timeout);
        peerConnection.addEventListener("icegatheringstatechange", onChange);
        peerConnection.addEventListener("icecandidate", onCandidate);
    });
}
