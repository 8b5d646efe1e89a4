// The WebRTC side of a call: one RTCPeerConnection, SDP offer/answer (RFC 3264) without trickle ICE.
import { waitForIceGathering } from "./ice-gathering.js";

/** Signaling states in which our offer still waits for its final answer (a pranswer is not final). */
const AWAITING_ANSWER = new Set(["have-local-offer", "have-remote-pranswer"]);

export class MediaHandler {
    /**
     * @param {object} options
     * @param {Function} options.RTCPeerConnection   constructor (injected for tests)
     * @param {Function} [options.MediaStream]       constructor, for remote tracks that come without a stream
     * @param {{setTimeout: Function, clearTimeout: Function}} options.timers
     * @param {object} [options.rtcConfiguration]
     * @param {MediaStream} [options.localStream]
     * @param {boolean} [options.muted]
     * @param {(stream: MediaStream) => void} options.onRemoteStream
     */
    constructor({ RTCPeerConnection, MediaStream, timers, rtcConfiguration, localStream, muted = false,
        onRemoteStream }) {
        if (typeof RTCPeerConnection !== "function") throw new Error("WebRTC (RTCPeerConnection) is not available");
        this.timers = timers;
        this.localStream = localStream ?? null;
        this.remoteStream = null;
        /** A stream made here for tracks without one; later such tracks join it. */
        this.ownRemoteStream = null;
        this.MediaStream = MediaStream ?? null;
        this.onRemoteStream = onRemoteStream;
        this.peerConnection = new RTCPeerConnection(rtcConfiguration ?? {});
        this.peerConnection.ontrack = (event) => this.receiveTrack(event);
        const tracks = this.localStream?.getTracks?.() ?? [];
        for (const track of tracks) {
            if (track.kind === "audio") track.enabled = !muted;
            this.peerConnection.addTrack(track, this.localStream);
        }
        // Without a microphone the call still receives audio.
        if (!tracks.some((track) => track.kind === "audio") && this.peerConnection.addTransceiver) {
            this.peerConnection.addTransceiver("audio", { direction: "recvonly" });
        }
    }

    /**
     * A remote track. Parley leaves a=msid out of a section that does not send (a call that starts on hold),
     * so the track may come without a stream: it is then wrapped in a stream of our own.
     */
    receiveTrack(event) {
        let stream = event.streams?.[0] ?? null;
        if (!stream && event.track) {
            const own = this.ownRemoteStream;
            if (own) {
                if (!own.getTracks?.().includes(event.track)) own.addTrack?.(event.track);
                return;
            }
            if (typeof this.MediaStream !== "function") return;
            stream = new this.MediaStream([event.track]);
            this.ownRemoteStream = stream;
        }
        if (stream && stream !== this.remoteStream) {
            this.remoteStream = stream;
            this.onRemoteStream(stream);
        }
    }

    /** @returns {boolean} whether our offer awaits its final answer (a provisional answer may be applied) */
    get hasPendingOffer() {
        return AWAITING_ANSWER.has(this.peerConnection.signalingState);
    }

    /**
     * Creates an offer, sets it locally and returns the SDP with the candidates gathered.
     * @returns {Promise<string>}
     */
    async createOffer() {
        const offer = await this.peerConnection.createOffer();
        await this.peerConnection.setLocalDescription(offer);
        return this.gatheredSDP();
    }

    /**
     * Applies the far end's offer and returns our answer's SDP.
     * @param {string} sdp
     * @returns {Promise<string>}
     */
    async answerOffer(sdp) {
        await this.peerConnection.setRemoteDescription({ type: "offer", sdp });
        const answer = await this.peerConnection.createAnswer();
        await this.peerConnection.setLocalDescription(answer);
        return this.gatheredSDP();
    }

    /**
     * Applies the SDP of a 18x as a provisional answer (early media, RFC 3261 §13.2.1; the 2xx brings the
     * final one).
     * @param {string} sdp
     * @returns {Promise<boolean>} whether it was applied (false when no offer of ours is waiting)
     */
    async applyProvisionalAnswer(sdp) {
        if (!this.hasPendingOffer) return false;
        await this.peerConnection.setRemoteDescription({ type: "pranswer", sdp });
        return true;
    }

    /**
     * Applies the final answer to our offer.
     * @param {string} sdp
     * @returns {Promise<boolean>} whether it was applied (false when no offer of ours is waiting)
     */
    async applyAnswer(sdp) {
        if (!this.hasPendingOffer) return false;
        await this.peerConnection.setRemoteDescription({ type: "answer", sdp });
        return true;
    }

    /**
     * Undoes an offer that could not be answered (JSEP §4.1.10 rollback), so the next offer starts from the
     * last stable state. Never throws.
     * @returns {Promise<void>}
     */
    async rollback() {
        const state = this.peerConnection.signalingState;
        try {
            if (state === "have-remote-offer") {
                await this.peerConnection.setRemoteDescription({ type: "rollback" });
            } else if (state === "have-local-offer") {
                await this.peerConnection.setLocalDescription({ type: "rollback" });
            }
        } catch {
            // A closed connection or a browser without rollback: nothing more can be done here.
        }
    }

    async gatheredSDP() {
        await waitForIceGathering(this.peerConnection, this.timers);
        const sdp = this.peerConnection.localDescription?.sdp;
        if (!sdp) throw new Error("no local SDP");
        return sdp;
    }

    /**
     * Plays DTMF through the audio sender (RFC 4733 events generated by the browser). insertDTMF replaces
     * what is still queued, so the new tones go after the queued ones (fast key presses keep every digit).
     * @param {string} tones
     * @returns {boolean} false when no sender can play DTMF now
     */
    sendDTMF(tones) {
        const senders = this.peerConnection.getSenders?.() ?? [];
        const sender = senders.find((candidate) => candidate.track?.kind === "audio" && candidate.dtmf) ??
            senders.find((candidate) => candidate.dtmf);
        if (!sender) return false;
        const dtmf = sender.dtmf;
        if (dtmf.canInsertDTMF === false) return false;
        try {
            dtmf.insertDTMF(`${dtmf.toneBuffer ?? ""}${tones}`, 100, 70);
            return true;
        } catch {
            return false; // e.g. InvalidStateError while the sender cannot send DTMF yet
        }
    }

    /** Enables or disables the local audio tracks. */
    setMuted(muted) {
        const tracks = new Set(this.localStream?.getAudioTracks?.() ?? []);
        for (const sender of this.peerConnection.getSenders?.() ?? []) {
            if (sender.track?.kind === "audio") tracks.add(sender.track);
        }
        for (const track of tracks) track.enabled = !muted;
    }

    close() {
        this.peerConnection.ontrack = null;
        try {
            this.peerConnection.close();
        } catch {
            // Closing twice or a failed connection: nothing left to release.
        }
    }
}
