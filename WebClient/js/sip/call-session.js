// One call (RFC 3261 §13-15): outgoing INVITE or incoming INVITE, re-INVITE answers, CANCEL and BYE.
import { Dialog } from "./dialog.js";
import { MediaHandler } from "./media-handler.js";
import { newCallId, newTag } from "./random.js";
import { SIPRequest } from "./sip-request.js";
import { SIPResponse } from "./sip-response.js";
import { TRANSACTION_TIMEOUT } from "./timer-values.js";

/** How long a call may ring (either way) before it is given up (like a proxy's Timer C, RFC 3261 §16.6). */
export const RING_TIMEOUT_MS = 180_000;
const DTMF_TONES = /^[0-9A-Da-d#*,]+$/;

/**
 * Events (CustomEvent): "statechange" {state}, "remotestream" {stream}, "ended" {cause, status, reason},
 * "mutechange" {muted}.
 */
export class CallSession extends EventTarget {
    /**
     * Created by UserAgent.call() and for incoming INVITEs; not meant to be constructed by the UI.
     * @param {object} core   the UserAgent (internal interface)
     * @param {object} options
     * @param {"outgoing"|"incoming"} options.direction
     * @param {import("./sip-uri.js").SIPURI} [options.target]      outgoing
     * @param {SIPRequest} [options.request]                        incoming INVITE
     * @param {import("./server-transaction.js").ServerTransaction} [options.transaction]  incoming
     */
    constructor(core, { direction, target = null, request = null, transaction = null }) {
        super();
        this.core = core;
        this._direction = direction;
        this._state = direction === "outgoing" ? "calling" : "incoming";
        this._startedAt = null;
        this._muted = false;
        this.media = null;
        this.dialog = null;
        this.isEnded = false;
        this.timers = new Map();
        if (direction === "outgoing") {
            this.target = target;
            this._remoteIdentity = { uri: target.addressOfRecord, displayName: null };
            this.callId = newCallId();
            this.localTag = newTag();
            this.inviteSender = null;
            this.cancelPending = false;
            /** The early-media answer of a 18x being applied (RFC 3261 §13.2.1). */
            this.earlyAnswer = Promise.resolve();
            this.lastAck = null;
        } else {
            this.invite = request;
            this.inviteTransaction = transaction;
            const from = request.from;
            this._remoteIdentity = { uri: from.uri.addressOfRecord, displayName: from.displayName };
            this.localTag = newTag();
            this.isAccepting = false;
        }
        /** A re-INVITE being answered: its server transaction and whether its answer comes in the ACK. */
        this.pendingReinvite = null;
        this.awaitingAck = null;
    }

    /** @returns {"outgoing"|"incoming"} */
    get direction() {
        return this._direction;
    }

    /** @returns {"calling"|"incoming"|"ringing"|"connected"|"ended"} */
    get state() {
        return this._state;
    }

    /** @returns {{uri: string, displayName: string|null}} */
    get remoteIdentity() {
        return { ...this._remoteIdentity };
    }

    /** @returns {number|null} ms timestamp of the answer */
    get startedAt() {
        return this._startedAt;
    }

    /** @returns {boolean} */
    get muted() {
        return this._muted;
    }

    /** @returns {string} the Call-ID, useful in logs */
    get id() {
        return this._direction === "outgoing" ? this.callId : this.invite.callId;
    }

    // ----- outgoing -----

    /** Creates the offer and sends the INVITE (called by UserAgent.call()). */
    async startOutgoing({ localStream, rtcConfiguration } = {}) {
        await null; // call() returns first, so the caller's listeners see even an immediate failure
        if (this.isEnded) return;
        let sdp;
        try {
            this.media = this.createMedia(localStream, rtcConfiguration);
            sdp = await this.media.createOffer();
        } catch (error) {
            this.end("failed", { reason: `media: ${error?.message ?? error}` });
            return;
        }
        if (this.isEnded) return;
        const request = this.core.createRequest("INVITE", this.target, { callId: this.callId, fromTag: this.localTag });
        request.addHeader("Contact", this.core.contactValue());
        request.addHeader("Allow", this.core.allowValue);
        request.addHeader("Supported", "outbound");
        request.addHeader("Content-Type", "application/sdp");
        request.body = sdp;
        this.inviteSender = this.core.sendRequest(request, {
            onProvisional: (response) => this.receiveProvisional(response),
            onFinal: (response) => this.receiveInviteFinal(response),
            onFailure: (error) => this.end("failed", { status: error.status, reason: error.message }),
        });
        this.startTimer("ring", RING_TIMEOUT_MS, () => {
            this.requestCancel();
            this.end("failed", { status: 408, reason: "No answer" });
        });
    }

    receiveProvisional(response) {
        if (this.isEnded) {
            if (this.cancelPending) this.sendCancel(); // RFC 3261 §9.1: CANCEL only after a provisional
            return;
        }
        if (response.status === 100) return;
        if (this._state === "calling") this.setState("ringing");
        // An SDP answer in a 18x is early media (RFC 3261 §13.2.1).
        if (response.body && response.mediaType === "application/sdp") {
            const previous = this.earlyAnswer;
            // Chained so that the 2xx sees the early answer applied (or failed) before it checks the offer state.
            this.earlyAnswer = previous.then(() => this.media.applyAnswer(response.body)).catch(() => {
                // A bad early answer is not fatal: the 2xx brings the answer again.
            });
        }
    }

    async receiveInviteFinal(response) {
        if (response.status >= 300) {
            if (!this.isEnded) this.end("rejected", { status: response.status, reason: response.reason });
            return;
        }
        const sameDialog = this.dialog !== null && response.to.tag === this.dialog.remoteTag;
        if (sameDialog) {
            this.sendStateless(this.lastAck); // a 2xx again: acknowledge it again (RFC 3261 §13.2.2.4)
            return;
        }
        let dialog;
        try {
            dialog = Dialog.asClient(this.inviteSender.request, response);
        } catch {
            if (!this.isEnded) this.end("failed", { status: response.status, reason: "2xx without Contact or tag" });
            return;
        }
        const ack = this.createAck(dialog);
        if (this.isEnded || this.dialog !== null) {
            // Answered after we hung up, or a second fork answered: acknowledge, then hang up that dialog.
            this.sendStateless(ack);
            this.sendBye(dialog);
            return;
        }
        this.dialog = dialog;
        this.lastAck = ack;
        this.core.addDialog(dialog, this);
        this.sendStateless(ack);
        this.clearTimer("ring");
        try {
            await this.earlyAnswer;
            if (this.media.hasPendingOffer) {
                if (response.mediaType !== "application/sdp" || !response.body) throw new Error("2xx without SDP");
                await this.media.applyAnswer(response.body);
            }
        } catch (error) {
            this.sendBye(dialog);
            this.end("failed", { status: 488, reason: `SDP: ${error?.message ?? error}` });
            return;
        }
        if (!this.isEnded) this.becomeConnected();
    }

    /** RFC 3261 §13.2.2.4: ACK built by the UA with the INVITE's CSeq number and credentials. */
    createAck(dialog) {
        const invite = this.inviteSender.request;
        const ack = dialog.createRequest("ACK", { seq: invite.cseq.seq });
        for (const name of ["Authorization", "Proxy-Authorization"]) {
            for (const value of invite.getHeaders(name)) ack.addHeader(name, value);
        }
        ack.addHeader("User-Agent", this.core.userAgentName);
        return ack;
    }

    /** CANCEL now if a provisional came, else as soon as one comes (RFC 3261 §9.1). */
    requestCancel() {
        const transaction = this.inviteSender?.transaction;
        if (!transaction || transaction.state === "terminated" || transaction.state === "accepted") return;
        if (transaction.state === "proceeding") {
            this.sendCancel();
        } else {
            this.cancelPending = true;
        }
    }

    sendCancel() {
        this.cancelPending = false;
        const invite = this.inviteSender.transaction.request;
        const cancel = new SIPRequest("CANCEL", invite.uri.clone());
        cancel.addHeader("Via", invite.getHeader("Via"));
        cancel.addHeader("Max-Forwards", "70");
        for (const name of ["From", "To", "Call-ID"]) cancel.addHeader(name, invite.getHeader(name));
        cancel.addHeader("CSeq", `${invite.cseq.seq} CANCEL`);
        for (const route of invite.getHeaders("Route")) cancel.addHeader("Route", route);
        cancel.addHeader("User-Agent", this.core.userAgentName);
        this.core.transactionLayer.sendRequest(cancel, { onResponse: () => {} });
        // RFC 3261 §9.1: without a final response 64*T1 after the CANCEL, the INVITE transaction is given up.
        const inviteTransaction = this.inviteSender.transaction;
        this.core.timers.setTimeout(() => inviteTransaction.terminate(), TRANSACTION_TIMEOUT);
    }

    // ----- incoming -----

    /**
     * Checks the INVITE, creates the early dialog and sends 180 Ringing (called by the UserAgent).
     * @returns {boolean} false when the INVITE was refused (already answered)
     */
    startIncoming() {
        const invite = this.invite;
        if (invite.body && invite.mediaType !== "application/sdp") {
            const response = this.createResponse(415);
            response.addHeader("Accept", "application/sdp");
            this.inviteTransaction.respond(response);
            return false;
        }
        try {
            this.dialog = Dialog.asServer(invite, this.localTag);
        } catch (error) {
            this.inviteTransaction.respond(this.createResponse(400, `Bad Request (${error.message})`));
            return false;
        }
        this.core.addDialog(this.dialog, this);
        this.inviteTransaction.respond(this.createResponse(180, "Ringing", { withContact: true }));
        this.startTimer("ring", RING_TIMEOUT_MS, () => this.reject(480, "Temporarily Unavailable"));
        return true;
    }

    /**
     * Answers an incoming call with 200 OK and our SDP.
     * @param {object} [options]
     * @param {MediaStream} [options.localStream]
     * @param {object} [options.rtcConfiguration]
     * @returns {Promise<void>}
     * @throws {Error} when the call is not an incoming one waiting for an answer
     */
    async accept({ localStream, rtcConfiguration } = {}) {
        if (this._direction !== "incoming" || this._state !== "incoming" || this.isAccepting) {
            throw new Error(`accept() needs an incoming call in state "incoming" (state: ${this._state})`);
        }
        this.isAccepting = true;
        const offer = this.invite.body || null;
        let sdp;
        try {
            this.media = this.createMedia(localStream, rtcConfiguration);
            // Delayed offer (RFC 3261 §13.3.1.1): we offer in the 200 and the answer comes in the ACK.
            sdp = offer ? await this.media.answerOffer(offer) : await this.media.createOffer();
        } catch (error) {
            if (this.isEnded) return;
            this.inviteTransaction.respond(this.createResponse(488));
            this.end("failed", { status: 488, reason: `media: ${error?.message ?? error}` });
            return;
        }
        if (this.isEnded) return;
        const response = this.createResponse(200, "OK", { withContact: true });
        response.addHeader("Content-Type", "application/sdp");
        response.body = sdp;
        if (!this.inviteTransaction.respond(response)) {
            this.end("failed", { status: 503, reason: "could not send 200 OK" });
            return;
        }
        this.clearTimer("ring");
        this.expectAck({ answerInAck: !offer });
        this.becomeConnected();
    }

    /**
     * Refuses an incoming call with a final response.
     * @param {number} [status=486]   300-699
     * @param {string} [reason="Busy Here"]
     */
    reject(status = 486, reason = "Busy Here") {
        if (!Number.isInteger(status) || status < 300 || status > 699) {
            throw new RangeError("reject() needs a final status from 300 to 699");
        }
        if (this._direction !== "incoming" || this._state !== "incoming" || this.inviteTransaction.isFinal) return;
        this.inviteTransaction.respond(this.createResponse(status, reason));
        this.end("rejected", { status, reason });
    }

    /** A CANCEL from the caller matched our INVITE (the CANCEL itself is answered 200 already). */
    receiveCancel() {
        if (this.isEnded || this.inviteTransaction.isFinal) return;
        this.inviteTransaction.respond(this.createResponse(487));
        this.end("remote-hangup", { status: 487, reason: "Request Terminated" });
    }

    createResponse(status, reason, { withContact = false } = {}) {
        const response = SIPResponse.replyingTo(this.invite, status, reason, { toTag: this.localTag });
        if (withContact) {
            // RFC 3261 §12.1.1: Record-Route copied into dialog-establishing responses.
            for (const route of this.invite.getHeaders("Record-Route")) response.addHeader("Record-Route", route);
            response.addHeader("Contact", this.core.contactValue());
            response.addHeader("Allow", this.core.allowValue);
        }
        response.addHeader("Server", this.core.userAgentName);
        return response;
    }

    // ----- both directions -----

    /** Ends the call: CANCEL before an answer, BYE once connected, reject(486) for an incoming call. */
    hangup() {
        if (this.isEnded) return;
        if (this._direction === "incoming" && this._state === "incoming") {
            this.reject(486, "Busy Here");
            return;
        }
        if (this._state === "connected") {
            this.sendBye(this.dialog);
            this.end("hangup");
            return;
        }
        this.requestCancel();
        this.end("canceled");
    }

    /**
     * Sends DTMF tones through the audio sender (RTCDTMFSender, 100 ms tones, 70 ms gaps).
     * @param {string} tones   "0-9", "A-D", "*", "#" and "," (pause)
     * @returns {boolean} whether the tones were queued
     * @throws {TypeError} on other characters
     */
    sendDTMF(tones) {
        if (typeof tones !== "string" || !DTMF_TONES.test(tones)) {
            throw new TypeError("DTMF tones are 0-9, A-D, *, # or ,");
        }
        if (this._state !== "connected" || this.media === null) return false;
        return this.media.sendDTMF(tones.toUpperCase());
    }

    /** @param {boolean} muted  disables (true) or enables the local audio track(s) */
    setMuted(muted) {
        this._muted = Boolean(muted);
        this.media?.setMuted(this._muted);
        this.dispatchEvent(new CustomEvent("mutechange", { detail: { muted: this._muted } }));
    }

    /**
     * An in-dialog request routed here by the UserAgent (CSeq order already checked).
     * @param {SIPRequest} request
     * @param {import("./server-transaction.js").ServerTransaction|null} transaction  null for ACK
     */
    receiveRequest(request, transaction) {
        if (request.method === "ACK") {
            this.receiveAck(request);
        } else if (request.method === "BYE") {
            transaction.respond(SIPResponse.replyingTo(request, 200));
            if (this._direction === "incoming" && this._state === "incoming") {
                this.inviteTransaction.respond(this.createResponse(487));
            }
            this.end("remote-hangup", { status: null, reason: "BYE" });
        } else if (request.method === "INVITE") {
            this.receiveReinvite(request, transaction);
        } else {
            transaction.respond(this.responseWithAllow(request, 405));
        }
    }

    /** RFC 3261 §14.2: a re-INVITE (hold, resume...) is answered from the same peer connection. */
    async receiveReinvite(request, transaction) {
        if (this._state !== "connected" || this.pendingReinvite !== null) {
            // RFC 3261 §14.2: one offer at a time; 500 with Retry-After while another is in progress.
            const response = SIPResponse.replyingTo(request, this._state === "connected" ? 500 : 491);
            if (response.status === 500) response.addHeader("Retry-After", String(1 + Math.floor(Math.random() * 9)));
            transaction.respond(response);
            return;
        }
        if (request.body && request.mediaType !== "application/sdp") {
            transaction.respond(SIPResponse.replyingTo(request, 415).addHeader("Accept", "application/sdp"));
            return;
        }
        this.pendingReinvite = transaction;
        this.dialog.refreshTarget(request);
        let sdp;
        try {
            sdp = request.body ? await this.media.answerOffer(request.body) : await this.media.createOffer();
        } catch (error) {
            this.pendingReinvite = null;
            if (!this.isEnded) transaction.respond(SIPResponse.replyingTo(request, 488));
            return;
        }
        this.pendingReinvite = null;
        if (this.isEnded) return;
        const response = SIPResponse.replyingTo(request, 200);
        response.addHeader("Contact", this.core.contactValue());
        response.addHeader("Allow", this.core.allowValue);
        response.addHeader("Content-Type", "application/sdp");
        response.body = sdp;
        transaction.respond(response);
        this.expectAck({ answerInAck: !request.body });
    }

    /** RFC 3261 §13.3.1.4: without an ACK within 64*T1 the call is ended with BYE. */
    expectAck({ answerInAck }) {
        this.awaitingAck = { answerInAck };
        this.startTimer("ack", TRANSACTION_TIMEOUT, () => {
            this.sendBye(this.dialog);
            this.end("failed", { status: 408, reason: "no ACK" });
        });
    }

    async receiveAck(ack) {
        if (this.awaitingAck === null) return; // an ACK for a 2xx sent again, or a late one
        const { answerInAck } = this.awaitingAck;
        this.awaitingAck = null;
        this.clearTimer("ack");
        if (!answerInAck) return;
        try {
            if (!ack.body || ack.mediaType !== "application/sdp") throw new Error("ACK without the SDP answer");
            await this.media.applyAnswer(ack.body);
        } catch (error) {
            this.sendBye(this.dialog);
            this.end("failed", { status: 488, reason: `SDP: ${error?.message ?? error}` });
        }
    }

    sendBye(dialog) {
        if (!dialog) return;
        const bye = dialog.createRequest("BYE");
        this.core.sendRequest(bye, { nextCSeq: () => dialog.nextLocalSeq(), onFinal: () => {}, onFailure: () => {} });
    }

    sendStateless(request) {
        try {
            this.core.transactionLayer.sendStateless(request);
        } catch {
            // The connection is gone; the far end ends the call on its own (no ACK / BYE timeout).
        }
    }

    responseWithAllow(request, status) {
        return SIPResponse.replyingTo(request, status).addHeader("Allow", this.core.allowValue);
    }

    createMedia(localStream, rtcConfiguration) {
        return new MediaHandler({
            RTCPeerConnection: this.core.RTCPeerConnection, timers: this.core.timers, rtcConfiguration,
            localStream, muted: this._muted,
            onRemoteStream: (stream) => this.dispatchEvent(new CustomEvent("remotestream", { detail: { stream } })),
        });
    }

    becomeConnected() {
        this._startedAt = this.core.timers.now();
        this.setState("connected");
    }

    setState(state) {
        if (this._state === state) return;
        this._state = state;
        this.dispatchEvent(new CustomEvent("statechange", { detail: { state } }));
    }

    startTimer(name, delay, action) {
        this.clearTimer(name);
        this.timers.set(name, this.core.timers.setTimeout(() => {
            this.timers.delete(name);
            if (!this.isEnded) action();
        }, delay));
    }

    clearTimer(name) {
        if (this.timers.has(name)) this.core.timers.clearTimeout(this.timers.get(name));
        this.timers.delete(name);
    }

    /** Final state: timers stopped, peer connection closed, dialog forgotten, "ended" dispatched once. */
    end(cause, { status = null, reason = null } = {}) {
        if (this.isEnded) return;
        this.isEnded = true;
        this.inviteSender?.stopRetrying();
        for (const name of [...this.timers.keys()]) this.clearTimer(name);
        this.media?.close();
        if (this.dialog) this.core.removeDialog(this.dialog);
        this.core.forgetSession(this);
        this.setState("ended");
        this.dispatchEvent(new CustomEvent("ended", { detail: { cause, status, reason } }));
    }
}
