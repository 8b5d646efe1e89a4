// Calls under stress: broken re-INVITEs, offers that fail, ACKs matched by CSeq, 2xx retransmission, hangup
// during answer processing, early media and tracks without a stream (RFC 3261 §12.2.2, §13.3.1.4, §14.2).
import assert from "node:assert/strict";
import test from "node:test";
import { BOB_CONTACT, receiveCall, startOutgoingCall } from "./call-helpers.js";
import { FakeMediaStream } from "./fakes.js";
import { createHarness, fakeSDP, settle } from "./harness.js";

const SDP = "application/sdp";

/** An incoming call accepted and acknowledged; `dialog` addresses in-dialog requests from Bob. */
async function acceptedCall(harness) {
    const { server, session, log } = await receiveCall(harness);
    await session.accept({ localStream: new FakeMediaStream() });
    const ok = await server.expectResponse(200, "INVITE");
    const dialog = { uri: ok.contacts[0].uri.toString(), to: ok.getHeader("To") };
    server.sendRequest("ACK", { ...dialog, cseq: 1 });
    await settle();
    return { server, session, log, ok, dialog, pc: harness.PeerConnection.instances[0] };
}

/** Frames the UA sent that the server has not read yet, keep-alives left out. */
function unread(server) {
    return server.socket.sent.slice(server.readIndex).filter((frame) => !/^\s*$/.test(frame));
}

test("a re-INVITE whose Contact is not a SIP URI gets 400; the call and later re-INVITEs still work", async () => {
    const harness = createHarness();
    const { server, session, dialog, pc } = await acceptedCall(harness);
    server.sendRequest("INVITE", { ...dialog, cseq: 2, contact: "<tel:+1555>", contentType: SDP,
        body: fakeSDP("bob offer") });
    const refused = await server.expectResponse(400, "INVITE");
    assert.match(refused.reason, /^Bad Request \(Contact: /);
    assert.equal(session.state, "connected");
    assert.equal(pc.log.filter((step) => step === "setRemoteDescription:offer").length, 1, "the offer was not used");

    server.sendRequest("INVITE", { ...dialog, cseq: 3, contact: "<sip:bob@192.0.2.44:5070>", contentType: SDP,
        body: fakeSDP("bob offer 2") });
    await server.expectResponse(200, "INVITE");
    server.sendRequest("ACK", { ...dialog, cseq: 3 });
    await harness.clock.advance(40_000);
    assert.equal(harness.ua.transactionLayer.serverTransactions.size, 0, "no server transaction left open");
    session.hangup();
    const bye = await server.expectRequest("BYE");
    assert.equal(bye.uri.toString(), "sip:bob@192.0.2.44:5070", "only the good re-INVITE refreshed the target");
});

test("an in-dialog handler that fails inside answers 500, and the next re-INVITE is answered", async () => {
    const harness = createHarness();
    const { server, session, dialog, pc } = await acceptedCall(harness);
    pc.failCreateAnswer = true;
    session.media.rollback = async () => {
        throw new Error("a bug in rollback");
    };
    server.sendRequest("INVITE", { ...dialog, cseq: 2, contentType: SDP, body: fakeSDP("bob offer") });
    await server.expectResponse(500, "INVITE");
    delete session.media.rollback;
    await session.media.rollback();
    server.sendRequest("INVITE", { ...dialog, cseq: 3, contentType: SDP, body: fakeSDP("bob offer 2") });
    await server.expectResponse(200, "INVITE");
    assert.equal(session.state, "connected");
});

test("a ringing incoming call still gets 480 at 180 s (the transaction's own 32 s bound does not cut it)",
    async () => {
        const harness = createHarness();
        const { server, log } = await receiveCall(harness);
        await harness.clock.advance(32_000);
        await server.expectNothing();
        await harness.clock.advance(148_000);
        await server.expectResponse(480, "INVITE");
        assert.deepEqual(log.at(-1).detail, { cause: "rejected", status: 480, reason: "Temporarily Unavailable" });
    });

test("hangup while the 2xx's answer is still being applied sends BYE", async () => {
    const harness = createHarness();
    const { server, session, log, invite, pc } = await startOutgoingCall(harness);
    pc.stallRemoteDescription = true; // as a browser whose setRemoteDescription never settles after close()
    server.respond(invite, 200, "OK", { headers: [["Contact", BOB_CONTACT]], contentType: SDP,
        body: fakeSDP("bob answer") });
    const ack = await server.expectRequest("ACK");
    await settle();
    assert.equal(session.state, "calling", "the answer is still being applied");
    session.hangup();
    const bye = await server.expectRequest("BYE");
    assert.equal(bye.to.tag, ack.to.tag);
    assert.equal(bye.uri.toString(), "sip:bob@192.0.2.9:5070;transport=udp");
    assert.equal(log.at(-1).detail.cause, "hangup");
    server.respond(bye, 200, "OK");
    await server.expectNothing();
});

test("ua.stop() while the 2xx's answer is still being applied sends BYE before unregistering", async () => {
    const harness = createHarness();
    const { server, invite, pc } = await startOutgoingCall(harness);
    pc.stallRemoteDescription = true;
    server.respond(invite, 200, "OK", { headers: [["Contact", BOB_CONTACT]], contentType: SDP,
        body: fakeSDP("bob answer") });
    await server.expectRequest("ACK");
    const stopping = harness.ua.stop();
    await server.expectRequest("BYE");
    const unregister = await server.expectRequest("REGISTER");
    server.respond(unregister, 200, "OK");
    await stopping;
    assert.equal(harness.ua.state, "stopped");
});

test("our 200 is sent again until its ACK comes, then never again", async () => {
    const harness = createHarness();
    const { server, session } = await receiveCall(harness);
    await session.accept();
    const ok = await server.expectResponse(200, "INVITE");
    await harness.clock.advance(499);
    await server.expectNothing();
    await harness.clock.advance(1);
    assert.equal((await server.expectResponse(200, "INVITE")).toString(), ok.toString());
    server.sendRequest("ACK", { uri: ok.contacts[0].uri.toString(), to: ok.getHeader("To"), cseq: 1 });
    await harness.clock.advance(40_000);
    await server.expectNothing();
    assert.equal(session.state, "connected");
});

test("callee hangup before the ACK of its 200: the BYE waits for the ACK, and only one goes (RFC 3261 §15)",
    async () => {
        const harness = createHarness();
        const { server, session, log } = await receiveCall(harness);
        await session.accept();
        const ok = await server.expectResponse(200, "INVITE");
        session.hangup();
        session.hangup(); // pressed twice: still one BYE later
        await server.expectNothing();
        assert.equal(session.state, "connected", "the call lives on until the ACK comes");
        server.sendRequest("ACK", { uri: ok.contacts[0].uri.toString(), to: ok.getHeader("To"), cseq: 1 });
        const bye = await server.expectRequest("BYE");
        assert.equal(bye.to.tag, ok.from.tag, "the BYE goes on the dialog of the 200");
        assert.equal(session.state, "ended");
        assert.equal(log.at(-1).detail.cause, "hangup");
        await harness.clock.advance(40_000);
        await server.expectNothing();
    });

test("callee hangup before an ACK that never comes: one BYE at the 32 s ACK timeout", async () => {
    const harness = createHarness();
    const { server, session, log } = await receiveCall(harness);
    await session.accept();
    await server.expectResponse(200, "INVITE");
    session.hangup();
    const start = harness.clock.now();
    const byes = [];
    for (let step = 0; step < 400; step += 1) {
        await harness.clock.advance(100);
        for (const frame of server.socket.sent.splice(server.readIndex)) {
            if (frame.startsWith("BYE ")) byes.push(harness.clock.now() - start);
        }
        if (session.state === "ended" && byes.length > 0) break;
    }
    assert.equal(byes.length, 1, "exactly one BYE");
    assert.ok(byes[0] >= 32_000, `no BYE before the ACK timeout (sent at ${byes[0]} ms)`);
    assert.deepEqual(log.at(-1).detail, { cause: "hangup", status: 408, reason: "no ACK" });
    await harness.clock.advance(10_000);
    await server.expectNothing();
});

test("a re-INVITE while our 200 waits for its ACK gets 491; each ACK clears only its own CSeq", async () => {
    const harness = createHarness();
    const { server, session } = await receiveCall(harness);
    await session.accept();
    const ok = await server.expectResponse(200, "INVITE");
    const dialog = { uri: ok.contacts[0].uri.toString(), to: ok.getHeader("To") };
    server.sendRequest("INVITE", { ...dialog, cseq: 2, contentType: SDP, body: fakeSDP("too early") });
    await server.expectResponse(491, "INVITE");
    server.sendRequest("ACK", { ...dialog, cseq: 1 });
    await server.expectNothing();

    server.sendRequest("INVITE", { ...dialog, cseq: 3, contentType: SDP, body: fakeSDP("hold") });
    await server.expectResponse(200, "INVITE");
    server.sendRequest("ACK", { ...dialog, cseq: 1 }); // the first 200's ACK again: not the one awaited
    await harness.clock.advance(500);
    const again = await server.expectResponse(200, "INVITE");
    assert.equal(again.cseq.seq, 3, "the re-INVITE's 200 still waits for its ACK");
    server.sendRequest("ACK", { ...dialog, cseq: 3 });
    await harness.clock.advance(40_000);
    await server.expectNothing();
    assert.equal(session.state, "connected");
});

test("a re-INVITE while an offer is still being answered gets 500 with Retry-After; so does one on a ringing call",
    async () => {
        const harness = createHarness();
        const { server, session, dialog, pc } = await acceptedCall(harness);
        pc.stallRemoteDescription = true;
        server.sendRequest("INVITE", { ...dialog, cseq: 2, contentType: SDP, body: fakeSDP("slow offer") });
        await settle();
        server.sendRequest("INVITE", { ...dialog, cseq: 3, contentType: SDP, body: fakeSDP("second offer") });
        const busy = await server.expectResponse(500, "INVITE");
        assert.equal(busy.cseq.seq, 3);
        const retryAfter = Number(busy.getHeader("Retry-After"));
        assert.ok(Number.isInteger(retryAfter) && retryAfter >= 0 && retryAfter <= 10, `Retry-After ${retryAfter}`);

        // The stalled offer: 100 Trying after 200 ms, 500 from the transaction's own bound at 32 s.
        await harness.clock.advance(32_000);
        await server.expectResponse(100, "INVITE");
        const unanswered = await server.expectResponse(500, "INVITE");
        assert.equal(unanswered.cseq.seq, 2);
        pc.stallRemoteDescription = false;
        server.sendRequest("INVITE", { ...dialog, cseq: 4, contentType: SDP, body: fakeSDP("third offer") });
        await server.expectResponse(200, "INVITE");
        assert.equal(session.state, "connected");

        const ringing = createHarness();
        const call = await receiveCall(ringing);
        call.server.sendRequest("INVITE", { uri: call.invite.uri.toString(), to: call.ringing.getHeader("To"),
            cseq: 2, contentType: SDP, body: fakeSDP("again") });
        const early = await call.server.expectResponse(500, "INVITE");
        assert.ok(early.hasHeader("Retry-After"));
        assert.equal(call.session.state, "incoming");
    });

test("a re-INVITE offer that cannot be answered is rolled back (488) and the next offer works", async () => {
    const harness = createHarness();
    const { server, session, dialog, pc } = await acceptedCall(harness);
    pc.failCreateAnswer = true;
    server.sendRequest("INVITE", { ...dialog, cseq: 2, contentType: SDP, body: fakeSDP("odd offer") });
    const refused = await server.expectResponse(488, "INVITE");
    assert.match(refused.reason, /^Not Acceptable Here/);
    assert.ok(pc.log.includes("setRemoteDescription:rollback"));
    assert.equal(pc.signalingState, "stable");
    const next = fakeSDP("fine offer");
    server.sendRequest("INVITE", { ...dialog, cseq: 3, contentType: SDP, body: next });
    const ok = await server.expectResponse(200, "INVITE");
    assert.equal(ok.body, pc.localDescription.sdp);
    assert.equal(pc.remoteDescription.sdp, next);
    assert.equal(session.state, "connected");
});

test("a re-INVITE without SDP: our offer goes in the 200, the answer in its ACK is applied", async () => {
    const harness = createHarness();
    const { server, session, dialog, pc } = await acceptedCall(harness);
    server.sendRequest("INVITE", { ...dialog, cseq: 2 });
    const ok = await server.expectResponse(200, "INVITE");
    assert.equal(pc.localDescription.type, "offer");
    assert.equal(ok.body, pc.localDescription.sdp);
    server.sendRequest("ACK", { ...dialog, cseq: 1, contentType: SDP, body: fakeSDP("stray") });
    await settle();
    assert.equal(pc.signalingState, "have-local-offer", "an ACK with another CSeq brings no answer");
    const answerSDP = fakeSDP("bob answer in ACK");
    server.sendRequest("ACK", { ...dialog, cseq: 2, contentType: SDP, body: answerSDP });
    await settle();
    assert.deepEqual(pc.remoteDescription, { type: "answer", sdp: answerSDP });
    assert.equal(session.state, "connected");
    await harness.clock.advance(40_000);
    await server.expectNothing();
});

test("a 2xx without a usable Contact is still ACKed at the Request-URI and ended with BYE", async () => {
    for (const contact of ["<tel:+1555>", null]) {
        const harness = createHarness();
        const { server, session, log, invite } = await startOutgoingCall(harness);
        const headers = contact === null ? [] : [["Contact", contact]];
        server.respond(invite, 200, "OK", { headers, contentType: SDP, body: fakeSDP("bob answer") });
        const ack = await server.expectRequest("ACK");
        assert.equal(ack.uri.toString(), "sip:bob@localhost", String(contact));
        assert.equal(ack.cseq.seq, invite.cseq.seq);
        assert.equal(ack.to.tag, `parley-${invite.cseq.seq}`);
        const bye = await server.expectRequest("BYE");
        assert.equal(bye.uri.toString(), "sip:bob@localhost");
        assert.equal(bye.to.tag, ack.to.tag);
        assert.equal(session.state, "ended");
        assert.equal(log.at(-1).detail.cause, "failed");
        assert.match(log.at(-1).detail.reason, /^unusable 2xx/);
        // The 2xx again: acknowledged again, no second BYE.
        server.respond(invite, 200, "OK", { headers, contentType: SDP, body: fakeSDP("bob answer") });
        await server.expectRequest("ACK");
        server.respond(bye, 200, "OK");
        await server.expectNothing();
    }
});

test("a remote track without a stream is wrapped in one MediaStream, reported once", async () => {
    const harness = createHarness({}, { trackStreams: false });
    const { server, session, log, invite, pc } = await startOutgoingCall(harness);
    const early = fakeSDP("early");
    server.respond(invite, 183, "Session Progress",
        { headers: [["Contact", BOB_CONTACT]], contentType: SDP, body: early });
    await settle();
    server.respond(invite, 200, "OK", { headers: [["Contact", BOB_CONTACT]], contentType: SDP, body: early });
    await server.expectRequest("ACK");
    await settle();
    assert.equal(session.state, "connected");
    const streams = log.filter((entry) => entry.type === "remotestream").map((entry) => entry.detail.stream);
    assert.equal(streams.length, 1, "one remotestream event for the two ontrack events");
    assert.ok(streams[0] instanceof FakeMediaStream);
    assert.deepEqual(streams[0].getTracks(), [pc.remoteStream.tracks[0]]);
});

test("DTMF pressed fast: new tones go after those still queued; false when the sender cannot insert", async () => {
    const harness = createHarness();
    const { server, session, invite, pc } = await startOutgoingCall(harness);
    server.respond(invite, 200, "OK", { headers: [["Contact", BOB_CONTACT]], contentType: SDP,
        body: fakeSDP("bob answer") });
    await server.expectRequest("ACK");
    await settle();
    const dtmf = pc.senders[0].dtmf;
    assert.equal(session.sendDTMF("1"), true);
    assert.equal(session.sendDTMF("2"), true); // "1" is still playing
    assert.deepEqual(dtmf.calls.map((call) => call.tones), ["1", "12"]);
    dtmf.toneBuffer = ""; // all played
    session.sendDTMF("3");
    assert.equal(dtmf.calls.at(-1).tones, "3");
    dtmf.canInsertDTMF = false;
    assert.equal(session.sendDTMF("4"), false);
    assert.equal(dtmf.calls.length, 3);
    assert.equal(unread(server).length, 0, "DTMF is media, not SIP");
});
