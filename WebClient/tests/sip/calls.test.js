// Calls through a scripted Parley: INVITE/ACK/BYE/CANCEL both ways, re-INVITE, DTMF, mute (RFC 3261 §9, §13-15).
import assert from "node:assert/strict";
import test from "node:test";
import { answer, BOB_CONTACT, receiveCall, ROUTE_FAR, ROUTE_NEAR, startOutgoingCall } from "./call-helpers.js";
import { FakeMediaStream } from "./fakes.js";
import { createHarness, fakeSDP, parleyChallenges, PARLEY_RECORD_ROUTE, settle } from "./harness.js";

test("outgoing call: 407 -> INVITE again, 100/180/200 -> ACK with the route set -> BYE", async () => {
    const harness = createHarness();
    const { server, session, log, invite: first, pc } = await startOutgoingCall(harness);
    assert.equal(first.uri.toString(), "sip:bob@localhost");
    assert.equal(first.to.tag, null);
    assert.equal(first.mediaType, "application/sdp");
    assert.equal(first.body, pc.localDescription.sdp);
    assert.ok(first.contacts[0].uri.params.has("ob"));
    assert.deepEqual(pc.configuration, { iceServers: [] });
    assert.equal(pc.senders.length, 1);

    server.respond(first, 407, "Proxy Authentication Required", { headers: parleyChallenges("Proxy-Authenticate") });
    const ackOf407 = await server.expectRequest("ACK");
    assert.equal(ackOf407.topVia.branch, first.topVia.branch, "the transaction's own ACK (RFC 3261 §17.1.1.3)");
    assert.equal(ackOf407.cseq.seq, first.cseq.seq);
    assert.equal(ackOf407.to.tag, `parley-${first.cseq.seq}`);
    const invite = await server.expectRequest("INVITE");
    assert.ok(invite.hasHeader("Proxy-Authorization"));
    assert.equal(invite.cseq.seq, first.cseq.seq + 1);
    assert.equal(invite.callId, first.callId);

    server.respond(invite, 100, "Trying");
    await settle();
    assert.equal(session.state, "calling");
    const ack = await answer(server, invite);
    assert.equal(ack.uri.toString(), "sip:bob@192.0.2.9:5070;transport=udp", "the remote target");
    assert.deepEqual(ack.getHeaders("Route"), [ROUTE_NEAR, ROUTE_FAR], "Record-Route reversed");
    assert.equal(ack.cseq.seq, invite.cseq.seq);
    assert.notEqual(ack.topVia.branch, invite.topVia.branch, "the ACK of a 2xx is a new transaction");
    assert.equal(ack.getHeader("Proxy-Authorization"), invite.getHeader("Proxy-Authorization"));
    assert.equal(ack.to.tag, `parley-${invite.cseq.seq}`);
    await settle();
    assert.equal(session.state, "connected");
    assert.equal(session.startedAt, harness.clock.now());
    assert.deepEqual(log.filter((entry) => entry.type === "statechange").map((entry) => entry.detail.state),
        ["ringing", "connected"]);
    assert.equal(log.find((entry) => entry.type === "remotestream").detail.stream, pc.remoteStream);
    assert.equal(pc.remoteDescription.type, "answer");
    assert.deepEqual(session.remoteIdentity, { uri: "sip:bob@localhost", displayName: null });

    session.hangup();
    const bye = await server.expectRequest("BYE");
    assert.equal(bye.uri.toString(), "sip:bob@192.0.2.9:5070;transport=udp");
    assert.deepEqual(bye.getHeaders("Route"), [ROUTE_NEAR, ROUTE_FAR]);
    assert.equal(bye.cseq.seq, invite.cseq.seq + 1);
    assert.equal(bye.from.tag, invite.from.tag);
    assert.equal(bye.to.tag, ack.to.tag);
    server.respond(bye, 200, "OK");
    assert.equal(session.state, "ended");
    assert.deepEqual(log.at(-1), { type: "ended", detail: { cause: "hangup", status: null, reason: null } });
    assert.equal(pc.isClosed, true);
    await server.expectNothing();
});

test("outgoing call rejected: 486 -> ACK by the transaction -> ended rejected", async () => {
    const harness = createHarness();
    const { server, session, log, invite, pc } = await startOutgoingCall(harness);
    server.respond(invite, 486, "Busy Here");
    const ack = await server.expectRequest("ACK");
    assert.equal(ack.topVia.branch, invite.topVia.branch);
    assert.equal(session.state, "ended");
    assert.deepEqual(log.at(-1).detail, { cause: "rejected", status: 486, reason: "Busy Here" });
    assert.equal(pc.isClosed, true);
});

test("hangup before the answer: CANCEL -> 200, 487 -> ACK", async () => {
    const harness = createHarness();
    const { server, session, log, invite } = await startOutgoingCall(harness);
    server.respond(invite, 180, "Ringing", { headers: [["Contact", BOB_CONTACT]] });
    await settle();
    assert.equal(session.state, "ringing");
    session.hangup();
    const cancel = await server.expectRequest("CANCEL");
    assert.equal(cancel.topVia.branch, invite.topVia.branch, "RFC 3261 §9.1: the INVITE's branch");
    assert.equal(cancel.uri.toString(), invite.uri.toString());
    assert.equal(cancel.cseq.seq, invite.cseq.seq);
    assert.equal(cancel.getHeader("To"), invite.getHeader("To"));
    assert.equal(session.state, "ended");
    assert.equal(log.at(-1).detail.cause, "canceled");
    server.respond(cancel, 200, "OK");
    server.respond(invite, 487, "Request Terminated");
    const ack = await server.expectRequest("ACK");
    assert.equal(ack.cseq.method, "ACK");
    assert.equal(ack.topVia.branch, invite.topVia.branch);
    await server.expectNothing();
});

test("hangup before any provisional: the CANCEL waits for one (RFC 3261 §9.1)", async () => {
    const harness = createHarness();
    const { server, session, invite } = await startOutgoingCall(harness);
    session.hangup();
    await server.expectNothing();
    server.respond(invite, 100, "Trying");
    await server.expectRequest("CANCEL");
});

test("a 2xx arriving after the CANCEL is acknowledged, then the call is hung up with BYE", async () => {
    const harness = createHarness();
    const { server, session, invite } = await startOutgoingCall(harness);
    server.respond(invite, 180, "Ringing", { headers: [["Contact", BOB_CONTACT]] });
    await settle();
    session.hangup();
    await server.expectRequest("CANCEL");
    server.respond(invite, 200, "OK", { headers: [["Contact", BOB_CONTACT]], contentType: "application/sdp",
        body: fakeSDP("late") });
    const ack = await server.expectRequest("ACK");
    const bye = await server.expectRequest("BYE");
    assert.equal(bye.to.tag, ack.to.tag);
    assert.equal(bye.uri.toString(), "sip:bob@192.0.2.9:5070;transport=udp");
});

const remoteDescriptionSteps = (pc) => pc.log.filter((step) => step.startsWith("setRemoteDescription"));

test("early media: the 183's SDP is applied as pranswer, the 200's SDP as the answer", async () => {
    const harness = createHarness();
    const { server, session, invite, pc } = await startOutgoingCall(harness);
    const early = fakeSDP("early");
    server.respond(invite, 183, "Session Progress",
        { headers: [["Contact", BOB_CONTACT]], contentType: "application/sdp", body: early });
    await settle();
    assert.equal(session.state, "ringing");
    assert.deepEqual(pc.remoteDescription, { type: "pranswer", sdp: early });
    assert.equal(pc.signalingState, "have-remote-pranswer");
    const final = fakeSDP("final");
    server.respond(invite, 200, "OK", { headers: [["Contact", BOB_CONTACT]], contentType: "application/sdp",
        body: final });
    await server.expectRequest("ACK");
    await settle();
    assert.equal(session.state, "connected");
    assert.deepEqual(remoteDescriptionSteps(pc), ["setRemoteDescription:pranswer", "setRemoteDescription:answer"]);
    assert.deepEqual(pc.remoteDescription, { type: "answer", sdp: final });
    assert.equal(pc.signalingState, "stable");
});

test("a 183 with SDP straight followed by the 200: pranswer then answer, in order, and the call connects",
    async () => {
        const harness = createHarness();
        const { server, session, invite, pc } = await startOutgoingCall(harness);
        const sdp = fakeSDP("early");
        const headers = [["Contact", BOB_CONTACT]];
        server.respond(invite, 183, "Session Progress", { headers, contentType: "application/sdp", body: sdp });
        server.respond(invite, 200, "OK", { headers, contentType: "application/sdp", body: sdp });
        await server.expectRequest("ACK");
        await settle();
        assert.equal(session.state, "connected");
        assert.deepEqual(remoteDescriptionSteps(pc), ["setRemoteDescription:pranswer", "setRemoteDescription:answer"]);
        await server.expectNothing();
    });

test("a 200 without SDP after early media promotes the pranswer to the answer", async () => {
    const harness = createHarness();
    const { server, session, invite, pc } = await startOutgoingCall(harness);
    const early = fakeSDP("early");
    server.respond(invite, 183, "Session Progress",
        { headers: [["Contact", BOB_CONTACT]], contentType: "application/sdp", body: early });
    await settle();
    server.respond(invite, 200, "OK", { headers: [["Contact", BOB_CONTACT]] });
    await server.expectRequest("ACK");
    await settle();
    assert.equal(session.state, "connected");
    assert.deepEqual(remoteDescriptionSteps(pc), ["setRemoteDescription:pranswer", "setRemoteDescription:answer"]);
    assert.deepEqual(pc.remoteDescription, { type: "answer", sdp: early });
    assert.equal(pc.signalingState, "stable");
});

test("no trickle ICE: the INVITE waits for gathering, at most 2 s", async () => {
    const harness = createHarness({}, { gathering: "never" });
    const server = await harness.register();
    harness.ua.call("sip:bob@localhost");
    await server.expectNothing();
    await harness.clock.advance(1999);
    await server.expectNothing();
    await harness.clock.advance(1);
    const invite = await server.expectRequest("INVITE");
    assert.match(invite.body, /^v=0/);
    assert.equal(harness.PeerConnection.instances[0].transceivers.length, 1, "receive-only audio without a mic");
});

test("incoming call accepted: 180, 200 with SDP, ACK, then the remote BYE -> 200", async () => {
    const harness = createHarness();
    const { server, invite, ringing, session, log } = await receiveCall(harness);
    assert.ok(ringing.to.tag);
    assert.deepEqual(ringing.getHeaders("Record-Route"), [PARLEY_RECORD_ROUTE]);
    assert.ok(ringing.hasHeader("Contact"));
    assert.equal(session.direction, "incoming");
    assert.equal(session.state, "incoming");
    assert.deepEqual(session.remoteIdentity, { uri: "sip:bob@localhost", displayName: "Bob" });

    await session.accept({ localStream: new FakeMediaStream() });
    const ok = await server.expectResponse(200, "INVITE");
    const pc = harness.PeerConnection.instances[0];
    assert.equal(ok.to.tag, ringing.to.tag);
    assert.equal(ok.mediaType, "application/sdp");
    assert.equal(ok.body, pc.localDescription.sdp);
    assert.equal(pc.localDescription.type, "answer");
    assert.equal(pc.remoteDescription.sdp, invite.body);
    assert.deepEqual(ok.getHeaders("Record-Route"), [PARLEY_RECORD_ROUTE]);
    assert.equal(session.state, "connected");
    assert.ok(log.some((entry) => entry.type === "remotestream"));

    const dialog = { uri: ok.contacts[0].uri.toString(), to: ok.getHeader("To") };
    server.sendRequest("ACK", { ...dialog, cseq: 1 });
    await server.expectNothing();
    await harness.clock.advance(40_000); // the ACK stopped the 32 s ACK timer: no BYE from us
    await server.expectNothing();
    server.sendRequest("BYE", { ...dialog, cseq: 2 });
    await server.expectResponse(200, "BYE");
    assert.equal(session.state, "ended");
    assert.deepEqual(log.at(-1).detail, { cause: "remote-hangup", status: null, reason: "BYE" });
    assert.equal(pc.isClosed, true);
    await assert.rejects(() => session.accept(), /incoming/);
});

test("incoming call rejected: 486, and the caller's ACK is absorbed", async () => {
    const harness = createHarness();
    const { server, invite, session, log } = await receiveCall(harness);
    session.reject();
    const busy = await server.expectResponse(486, "INVITE");
    assert.equal(session.state, "ended");
    assert.deepEqual(log.at(-1).detail, { cause: "rejected", status: 486, reason: "Busy Here" });
    server.sendRequest("ACK", { uri: invite.uri.toString(), to: busy.getHeader("To"),
        branch: invite.topVia.branch });
    await server.expectNothing();
    assert.throws(() => session.reject(200), RangeError);
});

test("a retransmitted INVITE gets the 180 again and makes no second call", async () => {
    const harness = createHarness();
    const { server, invite, ringing } = await receiveCall(harness, { branch: "z9hG4bKsame" });
    server.sendRequest("INVITE", { uri: invite.uri.toString(), contentType: "application/sdp", body: invite.body,
        branch: "z9hG4bKsame" });
    const again = await server.expectResponse(180);
    assert.equal(again.to.tag, ringing.to.tag);
    assert.equal(harness.events.filter((event) => event.type === "incomingcall").length, 1);
});

test("incoming call canceled by the caller: 200 to the CANCEL, 487 to the INVITE", async () => {
    const harness = createHarness();
    const { server, invite, session, log } = await receiveCall(harness);
    server.sendRequest("CANCEL", { uri: invite.uri.toString(), branch: invite.topVia.branch });
    await server.expectResponse(200, "CANCEL");
    await server.expectResponse(487, "INVITE");
    assert.equal(session.state, "ended");
    assert.equal(log.at(-1).detail.cause, "remote-hangup");
});

test("re-INVITE for hold is answered with 200 and SDP from the same peer connection", async () => {
    const harness = createHarness();
    const { server, session } = await receiveCall(harness);
    await session.accept();
    const ok = await server.expectResponse(200, "INVITE");
    const dialog = { uri: ok.contacts[0].uri.toString(), to: ok.getHeader("To") };
    server.sendRequest("ACK", { ...dialog, cseq: 1 });
    const holdOffer = fakeSDP("bob offer").replace("a=sendrecv", "a=sendonly");
    server.sendRequest("INVITE", { ...dialog, cseq: 2, contentType: "application/sdp", body: holdOffer });
    const holdAnswer = await server.expectResponse(200, "INVITE");
    const pc = harness.PeerConnection.instances[0];
    assert.equal(harness.PeerConnection.instances.length, 1);
    assert.equal(pc.remoteDescription.sdp, holdOffer);
    assert.equal(holdAnswer.body, pc.localDescription.sdp);
    assert.equal(holdAnswer.to.tag, ok.to.tag);
    server.sendRequest("ACK", { ...dialog, cseq: 2 });
    await server.expectNothing();
    assert.equal(session.state, "connected");
    // An out-of-order CSeq is refused (RFC 3261 §12.2.2).
    server.sendRequest("INVITE", { ...dialog, cseq: 1, contentType: "application/sdp", body: holdOffer });
    await server.expectResponse(500, "INVITE");
});

test("delayed offer: INVITE without SDP -> offer in the 200, answer taken from the ACK", async () => {
    const harness = createHarness();
    const { server, session } = await receiveCall(harness, { body: "" });
    await session.accept();
    const ok = await server.expectResponse(200, "INVITE");
    const pc = harness.PeerConnection.instances[0];
    assert.equal(pc.localDescription.type, "offer");
    assert.equal(ok.body, pc.localDescription.sdp);
    server.sendRequest("ACK", { uri: ok.contacts[0].uri.toString(), to: ok.getHeader("To"), cseq: 1,
        contentType: "application/sdp", body: fakeSDP("bob answer") });
    await settle();
    assert.equal(pc.remoteDescription.type, "answer");
    assert.equal(session.state, "connected");
});

test("no ACK for our 200: sent again at 0.5, 1.5, 3.5, 7.5 s ... (T1 doubling to T2), BYE at 32 s", async () => {
    const harness = createHarness();
    const { server, session, log } = await receiveCall(harness);
    await session.accept();
    const ok = await server.expectResponse(200, "INVITE");
    const sentAt = [];
    const start = harness.clock.now();
    for (let step = 0; step < 320; step += 1) {
        await harness.clock.advance(100);
        for (;;) {
            const rest = server.socket.sent.slice(server.readIndex).filter((frame) => !/^\s*$/.test(frame));
            if (rest.length === 0 || !rest[0].startsWith("SIP/2.0 200")) break;
            const again = await server.expectResponse(200, "INVITE");
            assert.equal(again.toString(), ok.toString(), "the same 2xx, byte for byte");
            sentAt.push(harness.clock.now() - start);
        }
    }
    assert.deepEqual(sentAt, [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    await server.expectRequest("BYE");
    assert.equal(log.at(-1).detail.cause, "failed");
    assert.equal(session.state, "ended");
    await harness.clock.advance(10_000);
    await server.expectNothing();
});

test("DTMF goes to insertDTMF(tones, 100, 70); mute disables the audio track", async () => {
    const harness = createHarness();
    const { server, session, invite, localStream, pc } = await startOutgoingCall(harness);
    assert.equal(session.sendDTMF("1"), false, "nothing to send before the call is connected");
    await answer(server, invite);
    await settle();
    assert.equal(session.sendDTMF("12#*"), true);
    assert.deepEqual(pc.senders[0].dtmf.calls, [{ tones: "12#*", duration: 100, gap: 70 }]);
    assert.throws(() => session.sendDTMF("12x"), TypeError);
    assert.equal(session.muted, false);
    session.setMuted(true);
    assert.equal(session.muted, true);
    assert.equal(localStream.getAudioTracks()[0].enabled, false);
    session.setMuted(false);
    assert.equal(localStream.getAudioTracks()[0].enabled, true);
});

test("a call that is never answered is given up after the ring timeout", async () => {
    const harness = createHarness();
    const { server, session, log, invite } = await startOutgoingCall(harness);
    server.respond(invite, 180, "Ringing", { headers: [["Contact", BOB_CONTACT]] });
    await harness.clock.advance(180_000);
    await server.expectRequest("CANCEL");
    assert.equal(session.state, "ended");
    assert.deepEqual(log.at(-1).detail, { cause: "failed", status: 408, reason: "No answer" });
});
