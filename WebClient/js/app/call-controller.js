// Calls: the dial form, the call view, the incoming-call dialog and the remote audio element.
// One call at a time: a call arriving while another one is set up or running is refused with 486.

import { mediaErrorText } from "./format.js";
import { callViewState } from "./view-state.js";
import { DTMFKeypad, isKeypadDigit } from "./dtmf-keypad.js";

export const END_DISPLAY_MS = 3000;
const TIMER_TICK_MS = 1000;

/** Stops every track of a local stream (frees the microphone). @param {MediaStream|null} stream */
function stopStream(stream) {
    try {
        for (const track of stream?.getTracks?.() ?? []) track.stop();
    } catch {
        // A stream that cannot be stopped is already gone.
    }
}

/** Sets text only when it changed, so aria-live regions announce changes and not every tick. */
function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
}

/** Runs the call part of the page. */
export class CallController {
    /**
     * @param {object} elements
     * @param {HTMLElement} elements.view #call-view
     * @param {HTMLElement} elements.peer #call-peer
     * @param {HTMLElement} elements.stateText call state words (aria-live)
     * @param {HTMLElement} elements.timer #call-timer
     * @param {HTMLButtonElement} elements.hangup #call-hangup
     * @param {HTMLButtonElement} elements.mute #call-mute
     * @param {HTMLElement} elements.keypad #dtmf-keypad
     * @param {HTMLElement} elements.digits where typed DTMF digits appear
     * @param {HTMLDialogElement} elements.dialog #incoming-call
     * @param {HTMLElement} elements.caller #incoming-caller
     * @param {HTMLButtonElement} elements.accept #incoming-accept
     * @param {HTMLButtonElement} elements.reject #incoming-reject
     * @param {HTMLAudioElement} elements.remoteAudio #remote-audio
     * @param {HTMLFormElement} elements.dialForm
     * @param {HTMLInputElement} elements.dialTarget #dial-target
     * @param {HTMLButtonElement} elements.dialButton #dial-call
     * @param {HTMLElement} elements.notice problems with the last action (aria-live)
     * @param {object} options
     * @param {(constraints: object) => Promise<MediaStream>} options.getUserMedia
     * @param {object} [options.timers] {setTimeout, clearTimeout, setInterval, clearInterval}
     * @param {() => number} [options.now]
     * @param {number} [options.endDisplayMs=3000] how long the end reason stays visible
     */
    constructor(elements, { getUserMedia, timers = globalThis, now = Date.now, endDisplayMs = END_DISPLAY_MS }) {
        this._elements = elements;
        this._getUserMedia = getUserMedia;
        this._timers = timers;
        this._now = now;
        this._endDisplayMs = endDisplayMs;
        this._userAgent = null;
        this._userAgentListeners = null;
        this._call = null;
        this._preparing = false;
        this._tick = null;
        this._keypad = new DTMFKeypad({ container: elements.keypad, output: elements.digits },
            (digit) => this._sendDigit(digit));

        elements.dialForm.addEventListener("submit", (event) => {
            event.preventDefault();
            this.dial(elements.dialTarget.value);
        });
        elements.hangup.addEventListener("click", () => this.hangup());
        elements.mute.addEventListener("click", () => this.toggleMute());
        elements.accept.addEventListener("click", () => this.acceptIncoming());
        elements.reject.addEventListener("click", () => this.rejectIncoming());
        // Escape on the modal dialog means "Reject" rather than hiding a call that is still ringing.
        elements.dialog.addEventListener("cancel", (event) => {
            event.preventDefault();
            this.rejectIncoming();
        });
        // Some browsers close a modal dialog on a second Escape despite preventDefault: that is a "Reject" too.
        elements.dialog.addEventListener("close", () => this.rejectIncoming());
        // Digits typed anywhere in the call view (outside text fields) go out as DTMF too.
        elements.view.addEventListener("keydown", (event) => {
            const target = event.target;
            const typing = target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName ?? "");
            if (typing || event.ctrlKey || event.metaKey || event.altKey || !isKeypadDigit(event.key)) return;
            if (this._keypad.press(event.key)) event.preventDefault();
        });
        this._render();
    }

    /** @returns {object|null} the CallSession shown (an ended one stays until its view hides) */
    get currentCall() {
        return this._call?.session ?? null;
    }

    /** @returns {boolean} whether a call is being set up, ringing or connected */
    get busy() {
        return this._preparing || Boolean(this._call && !this._call.finished);
    }

    /**
     * Uses this UserAgent for dialing and listens for its incoming calls (null detaches).
     * @param {object|null} userAgent
     */
    setUserAgent(userAgent) {
        this._userAgentListeners?.abort();
        this._userAgentListeners = null;
        this._userAgent = userAgent;
        if (!userAgent) return;
        this._userAgentListeners = new AbortController();
        userAgent.addEventListener("incomingcall", (event) => this.handleIncoming(event.detail?.session),
            { signal: this._userAgentListeners.signal });
    }

    /**
     * Places a call: opens the microphone, then UserAgent.call(target).
     * @param {string} rawTarget a user name ("bob") or a sip: URI
     * @returns {Promise<boolean>} whether a call was started
     */
    async dial(rawTarget) {
        const target = String(rawTarget ?? "").trim();
        this._notice("");
        if (!target) return this._refuse("Enter a user name (like bob) or a sip: address to call.");
        if (!this._userAgent) return this._refuse("Not connected yet. Try again in a moment.");
        if (this.busy) return this._refuse("Hang up the current call first.");
        this._preparing = true;
        this._render();
        let stream;
        try {
            stream = await this._getUserMedia({ audio: true });
        } catch (error) {
            return this._refuse(mediaErrorText(error));
        } finally {
            this._preparing = false;
            this._render();
        }
        if (!this._userAgent || this.busy) {
            stopStream(stream);
            return this._refuse("The call was not placed.");
        }
        let session;
        try {
            session = this._userAgent.call(target, { localStream: stream });
        } catch (error) {
            stopStream(stream);
            const detail = error instanceof Error && error.message ? `: ${error.message}` : "";
            return this._refuse(`Cannot call ${target}${detail}`);
        }
        this._adopt(session, { direction: "outgoing", dialedTarget: target, localStream: stream });
        this._elements.hangup.focus();
        return true;
    }

    /**
     * A CallSession in state "incoming" (UserAgent "incomingcall"). Refused with 486 when busy.
     * @param {object} session
     */
    handleIncoming(session) {
        if (!session || typeof session.reject !== "function") return;
        if (this.busy) {
            try {
                session.reject(486, "Busy Here"); // RFC 3261 §21.4.24: one call at a time
            } catch {
                // The caller gives up on its own.
            }
            return;
        }
        this._adopt(session, { direction: "incoming", dialedTarget: "", localStream: null });
    }

    /** Answers the ringing incoming call after opening the microphone. */
    async acceptIncoming() {
        const call = this._call;
        if (!call || call.finished || call.accepting || call.session.state !== "incoming") return;
        call.accepting = true;
        this._render();
        let stream;
        try {
            stream = await this._getUserMedia({ audio: true });
        } catch (error) {
            // Not "busy": the caller learns the callee cannot take the call now (RFC 3261 §21.4.18).
            this._notice(`The call could not be answered: ${mediaErrorText(error)}`);
            call.accepting = false;
            this.rejectIncoming(480, "Temporarily Unavailable");
            return;
        }
        if (call.finished || this._call !== call || call.session.state !== "incoming") {
            stopStream(stream); // the caller hung up while the microphone prompt was open
            return;
        }
        call.localStream = stream;
        this._elements.hangup.focus();
        try {
            await call.session.accept({ localStream: stream });
        } catch (error) {
            const detail = error instanceof Error && error.message ? `: ${error.message}` : "";
            this._notice(`The call could not be answered${detail}`);
            if (call.session.state === "ended") this._finish(call);
        }
    }

    /**
     * Declines the ringing incoming call.
     * @param {number} [status=486] final status for the caller (480 when the microphone could not be opened)
     * @param {string} [reason="Busy Here"]
     */
    rejectIncoming(status = 486, reason = "Busy Here") {
        const call = this._call;
        if (!call || call.finished || call.accepting || call.rejecting || call.session.state !== "incoming") return;
        call.rejecting = true;
        try {
            call.session.reject(status, reason);
        } catch {
            // Already answered elsewhere or gone: the session reports its end.
        }
        if (call.session.state === "ended") this._finish(call);
        else this._render();
    }

    /** Ends the current call: CANCEL, BYE or reject, as the session's state needs. */
    hangup() {
        const call = this._call;
        if (!call || call.finished) return;
        try {
            call.session.hangup();
        } catch {
            // The session reports its own end; nothing more to do here.
        }
        if (call.session.state === "ended") this._finish(call);
    }

    /** Mutes or unmutes the microphone of the connected call. */
    toggleMute() {
        const call = this._call;
        if (!call || call.finished || call.session.state !== "connected") return;
        const muted = !this._isMuted(call);
        try {
            call.session.setMuted(muted);
            call.muted = muted;
        } catch (error) {
            this._notice(`Mute failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        this._render();
    }

    /** Sign-out: ends any call at once and clears the view without the 3 s delay. */
    endAll() {
        const call = this._call;
        if (!call) return;
        if (!call.finished) {
            try {
                call.session.hangup();
            } catch {
                // Stopping the user agent closes what is left.
            }
            this._finish(call);
        }
        this._hide(call);
    }

    _adopt(session, { direction, dialedTarget, localStream }) {
        if (this._call) this._hide(this._call); // an ended call still on show
        const call = {
            session,
            direction: session.direction ?? direction,
            dialedTarget,
            localStream,
            listeners: new AbortController(),
            wasConnected: false,
            connectedAt: null,
            endedAt: null,
            end: null,
            muted: false,
            accepting: false,
            rejecting: false,
            finished: false,
            hideTimer: null,
        };
        this._call = call;
        this._keypad.clear();
        this._notice("");
        const options = { signal: call.listeners.signal };
        session.addEventListener("statechange", () => this._onStateChange(call), options);
        session.addEventListener("remotestream", (event) => this._onRemoteStream(call, event.detail?.stream), options);
        session.addEventListener("ended", (event) => {
            call.end = event.detail ?? null;
            this._finish(call);
        }, options);
        this._onStateChange(call);
    }

    _onStateChange(call) {
        if (this._call !== call) return;
        const state = call.session.state;
        if (state === "connected" && !call.wasConnected) {
            call.wasConnected = true;
            call.connectedAt = this._now();
        }
        if (state === "ended") {
            this._finish(call);
            return;
        }
        this._render();
    }

    _onRemoteStream(call, stream) {
        if (this._call !== call || call.finished || !stream) return;
        const audio = this._elements.remoteAudio;
        audio.srcObject = stream;
        // autoplay can be blocked until the page had a user gesture; the Call/Accept click counts as one.
        audio.play?.()?.catch?.(() => {});
    }

    /** Idempotent: the "ended" event and the "ended" state may come in either order. */
    _finish(call) {
        if (call.finished) {
            if (this._call === call) this._render(); // a later "ended" event brings the cause
            return;
        }
        call.finished = true;
        call.endedAt = this._now();
        stopStream(call.localStream);
        call.localStream = null;
        if (this._call !== call) return;
        this._elements.remoteAudio.srcObject = null;
        this._render();
        call.hideTimer = this._timers.setTimeout(() => this._hide(call), this._endDisplayMs);
    }

    _hide(call) {
        if (call.hideTimer !== null) this._timers.clearTimeout(call.hideTimer);
        call.hideTimer = null;
        call.listeners.abort();
        if (this._call !== call) return;
        const { view, dialog, dialTarget } = this._elements;
        const focusWasInCall = view.contains?.(view.ownerDocument?.activeElement)
            || dialog.contains?.(dialog.ownerDocument?.activeElement);
        this._call = null;
        this._render();
        if (focusWasInCall) dialTarget.focus(); // the focused button is about to vanish
    }

    _isMuted(call) {
        return typeof call.session.muted === "boolean" ? call.session.muted : call.muted;
    }

    _snapshot() {
        const call = this._call;
        if (!call) return null;
        const session = call.session;
        return {
            state: call.finished ? "ended" : session.state,
            direction: call.direction,
            remoteIdentity: session.remoteIdentity ?? null,
            dialedTarget: call.dialedTarget,
            startedAt: Number.isFinite(session.startedAt) ? session.startedAt : call.connectedAt,
            endedAt: call.endedAt,
            wasConnected: call.wasConnected,
            muted: this._isMuted(call),
            accepting: call.accepting,
            end: call.end,
        };
    }

    _render() {
        const view = callViewState(this._snapshot(), this._now());
        const e = this._elements;
        e.view.hidden = view.hidden;
        e.view.dataset.state = view.dataState;
        setText(e.peer, view.peerText);
        setText(e.stateText, view.statusText);
        setText(e.timer, view.timerText);
        e.timer.hidden = !view.timerVisible;
        e.hangup.disabled = !view.hangupEnabled;
        e.mute.disabled = !view.muteEnabled;
        e.mute.setAttribute("aria-pressed", String(view.mutePressed));
        this._keypad.setEnabled(view.keypadEnabled);
        if (view.callerText) setText(e.caller, view.callerText);
        const dialogOpen = view.dialogOpen && !this._call?.rejecting;
        e.accept.disabled = !dialogOpen;
        e.reject.disabled = !dialogOpen;
        this._setDialogOpen(dialogOpen);
        e.dialButton.disabled = !view.canDial || this._preparing;
        this._syncTick(view.dataState === "connected");
    }

    _setDialogOpen(open) {
        const dialog = this._elements.dialog;
        if (open && !dialog.open) {
            try {
                dialog.showModal();
            } catch {
                dialog.setAttribute("open", ""); // no <dialog> support, or not yet in the document
            }
        } else if (!open && dialog.open) {
            if (typeof dialog.close === "function") dialog.close();
            else dialog.removeAttribute("open");
        }
    }

    /** A once-a-second refresh of the timer while connected. */
    _syncTick(running) {
        if (running && this._tick === null) {
            this._tick = this._timers.setInterval(() => this._render(), TIMER_TICK_MS);
        } else if (!running && this._tick !== null) {
            this._timers.clearInterval(this._tick);
            this._tick = null;
        }
    }

    /** @returns {boolean} whether the tone went out (the keypad shows only those) */
    _sendDigit(digit) {
        const call = this._call;
        if (!call || call.finished) return false;
        let sent;
        try {
            sent = call.session.sendDTMF(digit);
        } catch (error) {
            this._notice(`The tone ${digit} was not sent: ${error instanceof Error ? error.message : String(error)}`);
            return false;
        }
        if (sent === false) {
            this._notice(`The tone ${digit} was not sent: the call cannot send tones right now.`);
            return false;
        }
        this._notice("");
        return true;
    }

    _notice(text) {
        setText(this._elements.notice, text);
    }

    /** Shows why nothing happened; returns false for dial(). */
    _refuse(text) {
        this._notice(text);
        return false;
    }
}
