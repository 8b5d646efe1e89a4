import { test } from "node:test";
import assert from "node:assert/strict";

import { callViewState, endReasonText, registrationViewState } from "../../js/app/view-state.js";

test("registration badge follows the UserAgent state", () => {
    assert.deepEqual(registrationViewState("registered"), { dataState: "registered", text: "Registered", tone: "ok" });
    assert.deepEqual(registrationViewState("connecting"),
        { dataState: "connecting", text: "Connecting…", tone: "pending" });
    assert.equal(registrationViewState("registering").text, "Registering…");
    assert.deepEqual(registrationViewState("stopped"), { dataState: "stopped", text: "Offline", tone: "idle" });
});

test("registration badge shows the reason for reconnecting and failed only", () => {
    assert.equal(registrationViewState("reconnecting", "connection lost").text, "Reconnecting… (connection lost)");
    assert.equal(registrationViewState("failed", "403 Forbidden").text, "Registration failed: 403 Forbidden");
    assert.equal(registrationViewState("failed", "403 Forbidden").tone, "error");
    assert.equal(registrationViewState("registered", "ignored").text, "Registered");
    assert.equal(registrationViewState("failed", "   ").text, "Registration failed");
});

test("registration badge survives unknown or missing states", () => {
    assert.equal(registrationViewState(undefined).dataState, "stopped");
    assert.equal(registrationViewState("hibernating").dataState, "hibernating");
    assert.equal(registrationViewState("hibernating").text, "Unknown state (hibernating)");
    assert.equal(registrationViewState("toString").text, "Unknown state (toString)");
});

test("endReasonText words each cause from the user's side", () => {
    assert.equal(endReasonText({ cause: "hangup" }, { wasConnected: true }), "you hung up");
    assert.equal(endReasonText({ cause: "hangup" }, { direction: "outgoing" }), "canceled");
    assert.equal(endReasonText({ cause: "hangup" }, { direction: "incoming" }), "declined");
    assert.equal(endReasonText({ cause: "canceled" }), "canceled");
    assert.equal(endReasonText({ cause: "remote-hangup" }, { wasConnected: true }), "the other side hung up");
    assert.equal(endReasonText({ cause: "remote-hangup" }, { direction: "incoming" }), "missed call");
    assert.equal(endReasonText({ cause: "rejected", status: 486, reason: "Busy Here" }), "486 Busy Here");
    assert.equal(endReasonText({ cause: "rejected", status: 404 }), "404 Not Found");
    assert.equal(endReasonText({ cause: "rejected" }, { direction: "incoming" }), "declined");
    assert.equal(endReasonText({ cause: "failed", status: 408 }), "failed (408 Request Timeout)");
    assert.equal(endReasonText({ cause: "failed", reason: "ICE failed" }), "failed (ICE failed)");
    assert.equal(endReasonText({ cause: "failed" }), "failed");
    assert.equal(endReasonText(null), "call ended");
    assert.equal(endReasonText({ cause: "other", reason: "gone" }), "gone");
});

test("no call: the view is hidden and dialing is allowed", () => {
    const view = callViewState(null, 0);
    assert.equal(view.hidden, true);
    assert.equal(view.canDial, true);
    assert.equal(view.dialogOpen, false);
    assert.equal(view.keypadEnabled, false);
});

test("outgoing call: Calling…, then Ringing…, with hang-up but no keypad or mute", () => {
    const base = { direction: "outgoing", dialedTarget: "bob", remoteIdentity: null };
    const calling = callViewState({ ...base, state: "calling" }, 1000);
    assert.equal(calling.hidden, false);
    assert.equal(calling.dataState, "calling");
    assert.equal(calling.statusText, "Calling…");
    assert.equal(calling.peerText, "bob");
    assert.equal(calling.hangupEnabled, true);
    assert.equal(calling.muteEnabled, false);
    assert.equal(calling.keypadEnabled, false);
    assert.equal(calling.timerVisible, false);
    assert.equal(calling.canDial, false);
    const ringing = callViewState({ ...base, state: "ringing", remoteIdentity: { uri: "sip:bob@localhost" } }, 1000);
    assert.equal(ringing.statusText, "Ringing…");
    assert.equal(ringing.peerText, "sip:bob@localhost");
});

test("connected call: timer runs from startedAt, mute and keypad work", () => {
    const snapshot = {
        state: "connected", direction: "outgoing", startedAt: 10_000, muted: true,
        remoteIdentity: { uri: "sip:bob@localhost", displayName: "Bob" },
    };
    const view = callViewState(snapshot, 10_000 + 83_500);
    assert.equal(view.statusText, "Connected");
    assert.equal(view.timerText, "01:23");
    assert.equal(view.timerVisible, true);
    assert.equal(view.muteEnabled, true);
    assert.equal(view.mutePressed, true);
    assert.equal(view.keypadEnabled, true);
    assert.equal(view.peerText, "Bob (sip:bob@localhost)");
});

test("ended call: shows the reason, freezes the timer, disables the controls", () => {
    const view = callViewState({
        state: "ended", direction: "outgoing", startedAt: 0, endedAt: 42_000, wasConnected: true,
        end: { cause: "remote-hangup" }, muted: true,
    }, 99_000);
    assert.equal(view.statusText, "Ended: the other side hung up");
    assert.equal(view.timerText, "00:42");
    assert.equal(view.timerVisible, true);
    assert.equal(view.hangupEnabled, false);
    assert.equal(view.muteEnabled, false);
    assert.equal(view.mutePressed, false);
    assert.equal(view.keypadEnabled, false);
    assert.equal(view.canDial, true);
    const end = { cause: "rejected", status: 486 };
    const rejected = callViewState({ state: "ended", direction: "outgoing", end }, 5);
    assert.equal(rejected.statusText, "Ended: 486 Busy Here");
    assert.equal(rejected.timerVisible, false);
});

test("incoming call: the dialog is open with the caller until Accept is pressed", () => {
    const snapshot = {
        state: "incoming", direction: "incoming",
        remoteIdentity: { uri: "sip:carol@localhost", displayName: "Carol" },
    };
    const ringing = callViewState(snapshot, 0);
    assert.equal(ringing.dialogOpen, true);
    assert.equal(ringing.callerText, "Carol (sip:carol@localhost)");
    assert.equal(ringing.statusText, "Incoming call…");
    assert.equal(callViewState({ ...snapshot, accepting: true }, 0).dialogOpen, false);
    assert.equal(callViewState({ ...snapshot, state: "connected", startedAt: 0 }, 0).dialogOpen, false);
});
