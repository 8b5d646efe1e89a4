// One call (RFC 3261 §13-15): outgoing INVITE or incoming INVITE, re-INVITE answers, CANCEL and BYE.
import { Dialog } from "./dialog.js";
import { MediaHandler } from "./media-handler.js";
import { newCallId, newTag } from "./random.js";
import { SIPRequest } from "./sip-request.js";
import { SIPResponse } from "./sip-response.js";
import { T1, T2, TRANSACTION_TIMEOUT } from "./timer-values.js";

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
            /** The early-media answer of a 18x being applied as "pranswer" (RFC 3261 §13.2.1). */
            this.earlyAnswer = Promise.resolve();
            /** The SDP of the last provisional answer applied: the final answer when the 2xx has none. */
            this.earlyAnswerSDP = null;
            this.lastAck = null;
        } else {
            this.invite = request;
            this.inviteTransaction = transaction;
            const from = request.from;
            this._remoteIdentity = { uri: from.uri.addressOfRecord, displayName: from.displayName };
            this.localTag = newTag();
            this.isAccepting = false;
        }
        /** A re-INVITE whose offer is being answered: {request, transaction}. */
        this.pendingReinvite = null;
        /** Our 2xx to an INVITE waiting for its ACK: {cseq, answerInAck} (RFC 3261 §13.3.1.4). */
        this.awaitingAck = null;
        /** The dialog is confirmed (2xx sent or acknowledged): from here on the call ends with BYE. */
        this.isConfirmed = false;
        this.byeSent = false;
        /** RFC 3261 §15: a hangup between our 2xx and its ACK waits for the ACK (or the ACK timeout) to send BYE. */
        this.hangupAfterAck = false;
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
            onFinal: (response) => this.guard(this.receiveInviteFinal(response)),
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
        // An SDP answer in a 18x is early media (RFC 3261 §13.2.1): provisional ("pranswer") until the 2xx.
        if (response.body && response.mediaType === "application/sdp") {
            const sdp = response.body;
            const previous = this.earlyAnswer;
            // Chained so that the 2xx sees the early answer applied (or failed) before it checks the offer state.
            this.earlyAnswer = previous.then(async () => {
                if (this.isEnded) return;
                if (await this.media.applyProvisionalAnswer(sdp)) this.earlyAnswerSDP = sdp;
            }).catch(() => {
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
        const invite = this.inviteSender.request;
        let dialog;
        let ack;
        let defect = null;
        try {
            dialog = Dialog.asClient(invite, response);
            ack = this.createAck(dialog);
        } catch (error) {
            // RFC 3261 §13.2.2.4: every 2xx is acknowledged, even one we cannot use (no usable Contact,
            // a broken Record-Route): the INVITE's Request-URI stands in for the remote target, then BYE.
            defect = error?.message ?? String(error);
            dialog = Dialog.asClientFallback(invite, response, invite.uri);
            ack = this.createAck(dialog);
        }
        if (this.isEnded || this.dialog !== null) {
            // Answered after we hung up, or a second fork answered: acknowledge, then hang up that dialog.
            this.sendStateless(ack);
            this.sendBye(dialog);
            return;
        }
        this.dialog = dialog;
        this.lastAck = ack;
        this.isConfirmed = true;
        if (defect === null) this.core.addDialog(dialog, this);
        this.sendStateless(ack);
        this.clearTimer("ring");
        if (defect !== null) {
            this.end("failed", { status: null, reason: `unusable 2xx (${defect})` }); // sends the BYE
            return;
        }
        try {
            // The answer is applied after the ACK went out: a hangup meanwhile still sends BYE (see end()),
            // even if the browser never settles a setRemoteDescription cut short by close().
            await this.earlyAnswer;
            if (this.isEnded) return;
            if (this.media.hasPendingOffer) {
                const inResponse = response.mediaType === "application/sdp" && response.body ? response.body : null;
                // A 2xx without SDP confirms the early answer: applied again, now as the final "answer".
                const sdp = inResponse ?? this.earlyAnswerSDP;
                if (sdp === null) throw new Error("2xx without SDP");
                await this.media.applyAnswer(sdp);
            }
        } catch (error) {
            this.end("failed", { status: 488, reason: `SDP: ${error?.message ?? error}` }); // sends the BYE
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
        const cancel = SIPRequest.sameTransactionAs(invite, "CANCEL");
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
        // The transaction's own bound on an unanswered INVITE comes after the ring timeout (a backstop only).
        this.inviteTransaction.extendDeadline(RING_TIMEOUT_MS + TRANSACTION_TIMEOUT);
        this.inviteTransaction.onUnanswered = () => this.end("failed", { status: 500, reason: "not answered in time" });
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
        this.isConfirmed = true;
        this.clearTimer("ring");
        this.expectAck({ cseq: this.invite.cseq.seq, answerInAck: !offer, response });
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

    /**
     * Ends the call: CANCEL before an answer, BYE once a 2xx confirmed the dialog (even while its answer is
     * still being applied), reject(486) for an incoming call.
     */
    hangup() {
        if (this.isEnded || this.hangupAfterAck) return;
        if (this._direction === "incoming" && this._state === "incoming") {
            this.reject(486, "Busy Here");
            return;
        }
        if (this.isConfirmed) {
            // RFC 3261 §15: the callee sends no BYE before the ACK of its 2xx (receiveAck or the ACK timer ends).
            if (this.awaitsInitialAck()) {
                this.hangupAfterAck = true;
                return;
            }
            this.end("hangup"); // sends the BYE
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
     * An in-dialog request routed here by the UserAgent (CSeq order already checked). Whatever goes wrong is
     * answered (500), never left open.
     * @param {SIPRequest} request
     * @param {import("./server-transaction.js").ServerTransaction|null} transaction  null for ACK
     * @returns {Promise<void>|undefined} the work still running for an ACK or a re-INVITE
     */
    receiveRequest(request, transaction) {
        try {
            if (request.method === "ACK") return this.guard(this.receiveAck(request));
            if (request.method === "INVITE") {
                return this.answerSafely(request, transaction, this.receiveReinvite(request, transaction));
            }
            if (request.method === "BYE") {
                transaction.respond(SIPResponse.replyingTo(request, 200));
                if (this._direction === "incoming" && this._state === "incoming") {
                    this.inviteTransaction.respond(this.createResponse(487));
                }
                this.end("remote-hangup", { status: null, reason: "BYE" });
            } else {
                transaction.respond(SIPResponse.methodNotAllowed(request, this.core.allowValue));
            }
        } catch (error) {
            this.answerFailure(request, transaction, error);
        }
        return undefined;
    }

    /** Waits for an in-dialog request's handler; a failure answers 500 if nothing was answered yet. */
    async answerSafely(request, transaction, work) {
        try {
            await work;
        } catch (error) {
            this.answerFailure(request, transaction, error);
        }
    }

    answerFailure(request, transaction, error) {
        this.core.logger?.warn?.("in-dialog request failed:", error);
        if (transaction && !transaction.isFinal) {
            transaction.respond(SIPResponse.replyingTo(request, 500, "Server Internal Error"));
        }
    }

    /**
     * RFC 3261 §14.2: a re-INVITE (hold, resume...) is answered from the same peer connection. Everything is
     * checked before any state changes; a failed offer is rolled back so the next one can work.
     */
    async receiveReinvite(request, transaction) {
        if (this.awaitingAck !== null) {
            // Our 2xx still waits for its ACK (the offer/answer exchange is not over): 491, the far end retries.
            transaction.respond(SIPResponse.replyingTo(request, 491));
            return;
        }
        if (this._state !== "connected" || this.pendingReinvite !== null) {
            // RFC 3261 §14.2: still answering an earlier INVITE's offer: 500 with Retry-After 0-10 s.
            const response = SIPResponse.replyingTo(request, 500, "Server Internal Error (offer in progress)");
            response.addHeader("Retry-After", String(Math.floor(Math.random() * 11)));
            transaction.respond(response);
            return;
        }
        if (request.body && request.mediaType !== "application/sdp") {
            transaction.respond(SIPResponse.unsupportedMediaType(request));
            return;
        }
        let target;
        try {
            target = Dialog.targetOf(request);
        } catch (error) {
            transaction.respond(SIPResponse.replyingTo(request, 400, `Bad Request (Contact: ${error.message})`));
            return;
        }
        const pending = { request, transaction };
        this.pendingReinvite = pending;
        // If the transaction's own deadline answered (500) first, the next re-INVITE must not be refused forever.
        transaction.onUnanswered = () => {
            if (this.pendingReinvite === pending) this.pendingReinvite = null;
        };
        let sdp;
        try {
            sdp = request.body ? await this.media.answerOffer(request.body) : await this.media.createOffer();
        } catch (error) {
            await this.media.rollback(); // JSEP: back to the last stable state
            if (!transaction.isFinal) {
                transaction.respond(SIPResponse.replyingTo(request, 488,
                    `Not Acceptable Here (${String(error?.message ?? error).slice(0, 80)})`));
            }
            return;
        } finally {
            if (this.pendingReinvite === pending) this.pendingReinvite = null;
        }
        if (this.isEnded || transaction.isFinal) return;
        const response = SIPResponse.replyingTo(request, 200);
        response.addHeader("Contact", this.core.contactValue());
        response.addHeader("Allow", this.core.allowValue);
        response.addHeader("Content-Type", "application/sdp");
        response.body = sdp;
        // RFC 3261 §12.2.2: the target refresh takes effect with the successful answer.
        if (target !== null) this.dialog.remoteTarget = target;
        transaction.respond(response);
        this.expectAck({ cseq: request.cseq.seq, answerInAck: !request.body, response });
    }

    /**
     * RFC 3261 §13.3.1.4: our 2xx is sent again at T1, 2*T1 ... T2 until its ACK comes (a UDP device behind a
     * proxy may have lost it); without an ACK within 64*T1 the call is ended with BYE.
     */
    expectAck({ cseq, answerInAck, response }) {
        this.awaitingAck = { cseq, answerInAck };
        this.retransmitAnswer(response, T1);
        this.startTimer("ack", TRANSACTION_TIMEOUT, () => {
            this.end(this.hangupAfterAck ? "hangup" : "failed", { status: 408, reason: "no ACK" }); // sends the BYE
        });
    }

    /** @returns {boolean} whether we are the callee and our 2xx to the initial INVITE still waits for its ACK */
    awaitsInitialAck() {
        return this._direction === "incoming" && this.awaitingAck !== null
            && this.awaitingAck.cseq === this.invite.cseq.seq;
    }

    retransmitAnswer(response, interval) {
        this.startTimer("retransmit-2xx", interval, () => {
            if (this.awaitingAck === null) return;
            this.core.transactionLayer.sendStatelessResponse(response);
            this.retransmitAnswer(response, Math.min(interval * 2, T2));
        });
    }

    /** The ACK of our 2xx, matched by its CSeq (another one is a late or stray ACK and changes nothing). */
    async receiveAck(ack) {
        const pending = this.awaitingAck;
        if (pending === null || ack.cseq.seq !== pending.cseq) return;
        this.awaitingAck = null;
        this.clearTimer("ack");
        this.clearTimer("retransmit-2xx");
        if (this.hangupAfterAck) {
            this.end("hangup"); // RFC 3261 §15: the BYE held back by hangup() goes now
            return;
        }
        if (!pending.answerInAck) return;
        try {
            // Delayed offer (RFC 3261 §13.3.1.1): our offer went in the 2xx, the answer comes in the ACK.
            if (!ack.body || ack.mediaType !== "application/sdp") throw new Error("ACK without the SDP answer");
            await this.media.applyAnswer(ack.body);
        } catch (error) {
            this.end("failed", { status: 488, reason: `SDP: ${error?.message ?? error}` }); // sends the BYE
        }
    }

    /** BYE on `dialog` (this call's own dialog gets at most one). */
    sendBye(dialog) {
        if (!dialog) return;
        if (dialog === this.dialog) {
            if (this.byeSent) return;
            this.byeSent = true;
        }
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

    createMedia(localStream, rtcConfiguration) {
        return new MediaHandler({
            RTCPeerConnection: this.core.RTCPeerConnection, MediaStream: this.core.MediaStream,
            timers: this.core.timers, rtcConfiguration,
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

    /** Runs an async handler without letting its failure become an unhandled rejection: the call fails. */
    guard(work) {
        return Promise.resolve(work).catch((error) => {
            this.core.logger?.warn?.("call handling failed:", error);
            this.end("failed", { reason: `internal error: ${error?.message ?? error}` });
        });
    }

    /**
     * Final state: BYE on a confirmed dialog (unless the far end ended it), every request still open answered,
     * timers stopped, peer connection closed, dialog forgotten, "ended" dispatched once.
     */
    end(cause, { status = null, reason = null } = {}) {
        if (this.isEnded) return;
        this.isEnded = true;
        this.inviteSender?.stopRetrying();
        if (this.isConfirmed && cause !== "remote-hangup") this.sendBye(this.dialog);
        const reinvite = this.pendingReinvite;
        this.pendingReinvite = null;
        if (reinvite && !reinvite.transaction.isFinal) {
            reinvite.transaction.respond(SIPResponse.replyingTo(reinvite.request, 487));
        }
        if (this._direction === "incoming" && !this.inviteTransaction.isFinal) {
            this.inviteTransaction.respond(this.createResponse(500, "Server Internal Error (call ended)"));
        }
        this.awaitingAck = null;
        for (const name of [...this.timers.keys()]) this.clearTimer(name);
        this.media?.close();
        if (this.dialog) this.core.removeDialog(this.dialog);
        this.core.forgetSession(this);
        this.setState("ended");
        this.dispatchEvent(new CustomEvent("ended", { detail: { cause, status, reason } }));
    }
}
