import { test } from "node:test";
import assert from "node:assert/strict";

import { CallController } from "../../js/app/call-controller.js";
import { callElements, fakeStream } from "./fake-dom.js";
import { FakeCallSession, FakeClock, FakeUserAgent } from "./fakes.js";

function setup({ media = "grant" } = {}) {
    const elements = callElements();
    const clock = new FakeClock(1_000_000);
    const streams = [];
    let releaseMedia = null;
    const getUserMedia = async (constraints) => {
        assert.deepEqual(constraints, { audio: true });
        if (media === "deny") throw Object.assign(new Error("Permission denied"), { name: "NotAllowedError" });
        if (media === "wait") await new Promise((resolve) => { releaseMedia = resolve; });
        const stream = fakeStream();
        streams.push(stream);
        return stream;
    };
    const controller = new CallController(elements, { getUserMedia, timers: clock, now: clock.now });
    const userAgent = new FakeUserAgent({});
    controller.setUserAgent(userAgent);
    return { elements, clock, streams, controller, userAgent, releaseMedia: () => releaseMedia() };
}

function ring(userAgent, session = new FakeCallSession()) {
    userAgent.dispatchEvent(new CustomEvent("incomingcall", { detail: { session } }));
    return session;
}

test("with no call the view is hidden and dialing is possible", () => {
    const { elements, controller } = setup();
    assert.equal(elements.view.hidden, true);
    assert.equal(elements.dialButton.disabled, false);
    assert.equal(controller.currentCall, null);
    assert.equal(controller.busy, false);
});

test("an outgoing call goes Calling…, Ringing…, Connected with a running timer", async () => {
    const { elements, clock, controller, userAgent, streams } = setup();
    assert.equal(await controller.dial("  bob "), true);
    assert.equal(userAgent.calls.length, 1);
    assert.equal(userAgent.calls[0].target, "bob");
    assert.equal(userAgent.calls[0].options.localStream, streams[0]);
    const session = userAgent.calls[0].session;
    assert.equal(controller.currentCall, session);
    assert.equal(elements.view.hidden, false);
    assert.equal(elements.view.dataset.state, "calling");
    assert.equal(elements.stateText.textContent, "Calling…");
    assert.equal(elements.peer.textContent, "sip:bob@localhost");
    assert.equal(elements.dialButton.disabled, true);
    assert.equal(elements.document.activeElement, elements.hangup);

    session.setState("ringing");
    assert.equal(elements.stateText.textContent, "Ringing…");
    assert.equal(elements.timer.hidden, true);

    session.setState("connected", clock.now());
    assert.equal(elements.view.dataset.state, "connected");
    assert.equal(elements.stateText.textContent, "Connected");
    assert.equal(elements.timer.hidden, false);
    assert.equal(elements.timer.textContent, "00:00");
    clock.advance(65_000);
    assert.equal(elements.timer.textContent, "01:05");
});

test("mute toggles aria-pressed and the session; the keypad sends and shows digits", async () => {
    const { elements, clock, controller, userAgent } = setup();
    await controller.dial("bob");
    const session = userAgent.calls[0].session;
    assert.equal(elements.mute.disabled, true);
    assert.equal(controller._keypad.press("1"), false, "no tones before the call is connected");
    session.setState("connected", clock.now());
    assert.equal(elements.mute.disabled, false);
    elements.mute.dispatchEvent(new Event("click"));
    assert.equal(elements.mute.getAttribute("aria-pressed"), "true");
    elements.mute.dispatchEvent(new Event("click"));
    assert.equal(elements.mute.getAttribute("aria-pressed"), "false");
    for (const digit of ["1", "#", "x", "*"]) controller._keypad.press(digit);
    const keyEvent = Object.assign(new Event("keydown", { cancelable: true }), { key: "9" });
    elements.view.dispatchEvent(keyEvent);
    assert.equal(keyEvent.defaultPrevented, true);
    assert.deepEqual(session.log, [["mute", true], ["mute", false], ["dtmf", "1"], ["dtmf", "#"], ["dtmf", "*"],
        ["dtmf", "9"]]);
    assert.equal(elements.digits.textContent, "1#*9");
});

test("hang-up shows the end reason for 3 s, then hides and frees the microphone", async () => {
    const { elements, clock, controller, userAgent, streams } = setup();
    await controller.dial("bob");
    const session = userAgent.calls[0].session;
    session.setState("connected", clock.now());
    clock.advance(42_000);
    elements.hangup.dispatchEvent(new Event("click"));
    assert.deepEqual(session.log, [["hangup"]]);
    assert.equal(elements.view.dataset.state, "ended");
    assert.equal(elements.stateText.textContent, "Ended: you hung up");
    assert.equal(elements.timer.textContent, "00:42");
    assert.equal(elements.hangup.disabled, true);
    assert.equal(streams[0].track.stopped, true);
    assert.equal(controller.busy, false);
    assert.equal(elements.dialButton.disabled, false);
    clock.advance(2999);
    assert.equal(elements.view.hidden, false);
    assert.equal(controller.currentCall, session);
    clock.advance(1);
    assert.equal(elements.view.hidden, true);
    assert.equal(controller.currentCall, null);
    assert.equal(elements.document.activeElement, elements.dialTarget, "focus leaves the vanished button");
});

test("a rejected outgoing call shows the status line", async () => {
    const { elements, controller, userAgent } = setup();
    await controller.dial("bob");
    userAgent.calls[0].session.end({ cause: "rejected", status: 486, reason: "Busy Here" });
    assert.equal(elements.stateText.textContent, "Ended: 486 Busy Here");
});

test("an incoming call opens the dialog; Accept answers with the microphone stream", async () => {
    const { elements, clock, controller, userAgent, streams } = setup();
    const session = ring(userAgent, new FakeCallSession({ uri: "sip:carol@localhost", displayName: "Carol" }));
    assert.equal(controller.currentCall, session);
    assert.equal(elements.dialog.open, true);
    assert.equal(elements.caller.textContent, "Carol (sip:carol@localhost)");
    assert.equal(elements.view.dataset.state, "incoming");
    await controller.acceptIncoming();
    assert.deepEqual(session.log, [["accept", { localStream: streams[0] }]]);
    assert.equal(elements.dialog.open, false);
    session.setState("connected", clock.now());
    assert.equal(elements.stateText.textContent, "Connected");
    assert.equal(session.log.length, 1, "closing the dialog after Accept must not reject");
});

test("Reject and Escape decline the incoming call", () => {
    for (const how of ["button", "escape"]) {
        const { elements, userAgent } = setup();
        const session = ring(userAgent);
        if (how === "button") elements.reject.dispatchEvent(new Event("click"));
        else elements.dialog.dispatchEvent(new Event("cancel", { cancelable: true }));
        assert.deepEqual(session.log, [["reject", 486, "Busy Here"]], how);
        assert.equal(elements.dialog.open, false, how);
        assert.equal(elements.stateText.textContent, "Ended: declined", how);
    }
});

test("a second incoming call while busy is refused with 486 and leaves the first alone", async () => {
    const { controller, userAgent } = setup();
    await controller.dial("bob");
    const first = userAgent.calls[0].session;
    const second = ring(userAgent);
    assert.deepEqual(second.log, [["reject", 486, "Busy Here"]]);
    assert.equal(controller.currentCall, first);
    assert.equal(first.log.length, 0);
    const third = new FakeCallSession();
    const { controller: ringingController, userAgent: ringingUA } = setup();
    const ringingFirst = ring(ringingUA);
    ring(ringingUA, third);
    assert.deepEqual(third.log, [["reject", 486, "Busy Here"]]);
    assert.equal(ringingController.currentCall, ringingFirst);
});

test("a call arriving while the microphone prompt is open is refused", async () => {
    const { controller, userAgent, releaseMedia } = setup({ media: "wait" });
    const dialing = controller.dial("bob");
    const incoming = ring(userAgent);
    assert.deepEqual(incoming.log, [["reject", 486, "Busy Here"]]);
    releaseMedia();
    assert.equal(await dialing, true);
});

test("a caller who gives up while ringing leaves 'missed call'", () => {
    const { elements, userAgent } = setup();
    const session = ring(userAgent);
    session.end({ cause: "remote-hangup" });
    assert.equal(elements.dialog.open, false);
    assert.equal(elements.stateText.textContent, "Ended: missed call");
    assert.equal(session.log.length, 0);
});

test("dial refuses an empty target and explains a denied microphone", async () => {
    const { elements, controller, userAgent } = setup({ media: "deny" });
    assert.equal(await controller.dial("   "), false);
    assert.match(elements.notice.textContent, /Enter a user name/);
    assert.equal(await controller.dial("bob"), false);
    assert.match(elements.notice.textContent, /denied/);
    assert.equal(userAgent.calls.length, 0);
    assert.equal(elements.dialButton.disabled, false);
});

test("dial explains a target the user agent refuses and frees the microphone", async () => {
    const { elements, controller, userAgent, streams } = setup();
    userAgent.call = () => { throw new TypeError("not a SIP URI: sip:"); };
    assert.equal(await controller.dial("sip:"), false);
    assert.equal(elements.notice.textContent, "Cannot call sip:: not a SIP URI: sip:");
    assert.equal(streams[0].track.stopped, true);
    assert.equal(controller.currentCall, null);
});

test("the remote stream plays in #remote-audio and is removed at the end", async () => {
    const { elements, controller, userAgent } = setup();
    await controller.dial("bob");
    const session = userAgent.calls[0].session;
    const remote = { id: "remote" };
    session.dispatchEvent(new CustomEvent("remotestream", { detail: { stream: remote } }));
    assert.equal(elements.remoteAudio.srcObject, remote);
    assert.equal(elements.remoteAudio.plays, 1);
    session.end({ cause: "remote-hangup" });
    assert.equal(elements.remoteAudio.srcObject, null);
});

test("endAll hangs up and hides at once; a detached user agent rings nothing", async () => {
    const { elements, controller, userAgent } = setup();
    await controller.dial("bob");
    const session = userAgent.calls[0].session;
    controller.endAll();
    assert.deepEqual(session.log, [["hangup"]]);
    assert.equal(elements.view.hidden, true);
    assert.equal(controller.currentCall, null);
    controller.setUserAgent(null);
    const ignored = ring(userAgent);
    assert.equal(controller.currentCall, null);
    assert.equal(ignored.log.length, 0);
    assert.equal(await controller.dial("bob"), false);
    assert.match(elements.notice.textContent, /Not connected/);
});

test("a new call during the 3 s end display replaces the ended one", async () => {
    const { elements, clock, controller, userAgent } = setup();
    await controller.dial("bob");
    userAgent.calls[0].session.end({ cause: "remote-hangup" });
    const next = ring(userAgent);
    assert.equal(controller.currentCall, next);
    clock.advance(5000);
    assert.equal(controller.currentCall, next, "the old hide timer must not hide the new call");
    assert.equal(elements.view.hidden, false);
});

test("a tone the call cannot send is not shown as sent, and a notice says so", async () => {
    const { elements, clock, controller, userAgent } = setup();
    await controller.dial("bob");
    const session = userAgent.calls[0].session;
    session.setState("connected", clock.now());
    assert.equal(controller._keypad.press("1"), true);
    session.dtmfResult = false;
    assert.equal(controller._keypad.press("2"), false);
    assert.equal(elements.digits.textContent, "1", "the digit that did not go out is not shown");
    assert.match(elements.notice.textContent, /tone 2 was not sent/);
    session.dtmfResult = true;
    controller._keypad.press("3");
    assert.equal(elements.digits.textContent, "13");
    assert.equal(elements.notice.textContent, "");
    assert.deepEqual(session.log, [["dtmf", "1"], ["dtmf", "2"], ["dtmf", "3"]]);
});

test("a microphone refused on Accept declines with 480 Temporarily Unavailable and says why", async () => {
    const { elements, controller, userAgent } = setup({ media: "deny" });
    const session = ring(userAgent);
    await controller.acceptIncoming();
    assert.deepEqual(session.log, [["reject", 480, "Temporarily Unavailable"]]);
    assert.equal(elements.dialog.open, false);
    assert.match(elements.notice.textContent, /^The call could not be answered: Microphone access was denied/);
    assert.equal(controller.busy, false);
});
