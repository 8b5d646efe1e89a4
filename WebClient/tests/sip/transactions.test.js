// Transactions and dialogs in isolation (RFC 3261 §12, §17) on the virtual clock.
import assert from "node:assert/strict";
import test from "node:test";
import { ClientTransaction } from "../../js/sip/client-transaction.js";
import { Dialog } from "../../js/sip/dialog.js";
import { ServerTransaction } from "../../js/sip/server-transaction.js";
import { SIPParser } from "../../js/sip/sip-parser.js";
import { SIPRequest } from "../../js/sip/sip-request.js";
import { SIPResponse } from "../../js/sip/sip-response.js";
import { TransactionLayer } from "../../js/sip/transaction-layer.js";
import { VirtualClock } from "./fakes.js";

function request(method, { branch = "z9hG4bKt1", cseq = 1 } = {}) {
    const message = new SIPRequest(method, "sip:bob@localhost");
    message.addHeader("Via", `SIP/2.0/WSS a.invalid;branch=${branch}`);
    message.addHeader("From", "<sip:alice@localhost>;tag=a1");
    message.addHeader("To", "<sip:bob@localhost>");
    message.addHeader("Call-ID", "call-1");
    message.addHeader("CSeq", `${cseq} ${method}`);
    message.addHeader("Route", "<sip:proxy.example;lr>");
    return message;
}

function clientTransaction(method, clock) {
    const sent = [];
    const seen = { responses: [], timeouts: 0 };
    const transaction = new ClientTransaction({
        request: request(method), send: (text) => sent.push(SIPParser.parse(text)), timers: clock,
        handlers: {
            onResponse: (response) => seen.responses.push(response.status),
            onTimeout: () => {
                seen.timeouts += 1;
            },
        },
        onTerminated: () => {},
    });
    transaction.start();
    return { transaction, sent, seen };
}

test("INVITE server transaction: 100 Trying only when the TU is silent for 200 ms", async () => {
    const clock = new VirtualClock();
    const sent = [];
    const options = { key: "k", send: (text) => sent.push(text.split("\r\n")[0]), timers: clock, onTerminated() {} };
    new ServerTransaction({ ...options, request: request("INVITE") });
    await clock.advance(199);
    assert.deepEqual(sent, []);
    await clock.advance(1);
    assert.deepEqual(sent, ["SIP/2.0 100 Trying"]);

    sent.length = 0;
    const quick = new ServerTransaction({ ...options, request: request("INVITE") });
    await clock.advance(100);
    quick.respond(SIPResponse.replyingTo(quick.request, 180, "Ringing", { toTag: "b1" }));
    await clock.advance(500);
    assert.deepEqual(sent, ["SIP/2.0 180 Ringing"]);
    quick.respond(SIPResponse.replyingTo(quick.request, 486, "Busy Here", { toTag: "b1" }));
    assert.equal(quick.state, "completed");
    assert.equal(quick.respond(SIPResponse.replyingTo(quick.request, 200)), false, "one final response only");
    quick.receiveAck();
    assert.equal(quick.state, "terminated", "Timer I is 0 over a reliable transport");
});

test("INVITE client transaction: Timer B fires at 32 s only while no provisional came", async () => {
    const clock = new VirtualClock();
    const silent = clientTransaction("INVITE", clock);
    await clock.advance(31_999);
    assert.equal(silent.seen.timeouts, 0);
    await clock.advance(1);
    assert.equal(silent.seen.timeouts, 1);
    assert.equal(silent.transaction.state, "terminated");

    const ringing = clientTransaction("INVITE", clock);
    ringing.transaction.receiveResponse(SIPResponse.replyingTo(ringing.transaction.request, 180, "Ringing",
        { toTag: "b" }));
    await clock.advance(100_000);
    assert.equal(ringing.seen.timeouts, 0);
    assert.equal(ringing.transaction.state, "proceeding");
});

test("INVITE client transaction: a non-2xx final is acknowledged with the INVITE's Via and Route", () => {
    const clock = new VirtualClock();
    const { transaction, sent, seen } = clientTransaction("INVITE", clock);
    transaction.receiveResponse(SIPResponse.replyingTo(transaction.request, 603, "Decline", { toTag: "b9" }));
    assert.deepEqual(seen.responses, [603]);
    const ack = sent[1];
    assert.equal(ack.method, "ACK");
    assert.equal(ack.uri.toString(), "sip:bob@localhost");
    assert.equal(ack.topVia.branch, "z9hG4bKt1");
    assert.equal(ack.to.tag, "b9");
    assert.deepEqual(ack.cseq, { seq: 1, method: "ACK" });
    assert.deepEqual(ack.getHeaders("Route"), ["<sip:proxy.example;lr>"]);
    assert.equal(transaction.state, "terminated", "Timer D is 0 over a reliable transport");
});

test("non-INVITE client transaction: Timer F bounds the wait even after a provisional", async () => {
    const clock = new VirtualClock();
    const { transaction, seen } = clientTransaction("MESSAGE", clock);
    transaction.receiveResponse(SIPResponse.replyingTo(transaction.request, 100, "Trying"));
    await clock.advance(32_000);
    assert.deepEqual(seen, { responses: [100], timeouts: 1 });
});

test("transaction layer: responses match by branch and CSeq method; a new request gets our Via", () => {
    const clock = new VirtualClock();
    const frames = [];
    const layer = new TransactionLayer({ send: (text) => frames.push(text), timers: clock,
        viaValue: () => "SIP/2.0/WSS me.invalid", onRequest() {}, onCancel() {} });
    const statuses = [];
    const invite = request("INVITE");
    invite.removeHeader("Via");
    layer.sendRequest(invite, { onResponse: (response) => statuses.push(response.status) });
    assert.match(invite.getHeader("Via"), /^SIP\/2\.0\/WSS me\.invalid;branch=z9hG4bK[a-z0-9]{16}$/);
    const cancelResponse = SIPResponse.replyingTo(invite, 200);
    cancelResponse.setHeader("CSeq", "1 CANCEL");
    layer.receive(cancelResponse);
    assert.deepEqual(statuses, [], "a 200 to a CANCEL is not the INVITE's");
    layer.receive(SIPResponse.replyingTo(invite, 180, "Ringing", { toTag: "x" }));
    assert.deepEqual(statuses, [180]);
    layer.failAll(new Error("gone"));
    assert.equal(layer.clientTransactions.size, 0);
});

test("dialog: UAC route set reversed, strict router turned into the Request-URI", () => {
    const invite = request("INVITE", { cseq: 5 });
    const ok = SIPResponse.replyingTo(invite, 200, "OK", { toTag: "b1" });
    ok.addHeader("Record-Route", "<sip:far.example;lr>, <sip:near.example;lr>");
    ok.addHeader("Contact", "<sip:bob@192.0.2.1>");
    const dialog = Dialog.asClient(invite, ok);
    assert.deepEqual(dialog.routeSet, ["<sip:near.example;lr>", "<sip:far.example;lr>"]);
    const bye = dialog.createRequest("BYE");
    assert.equal(bye.uri.toString(), "sip:bob@192.0.2.1");
    assert.deepEqual(bye.cseq, { seq: 6, method: "BYE" });
    assert.equal(bye.to.tag, "b1");
    assert.equal(bye.from.tag, "a1");

    dialog.routeSet = ["<sip:strict.example>", "<sip:next.example;lr>"];
    const strict = dialog.createRequest("INFO");
    assert.equal(strict.uri.toString(), "sip:strict.example");
    assert.deepEqual(strict.getHeaders("Route"), ["<sip:next.example;lr>", "<sip:bob@192.0.2.1>"]);
    assert.throws(() => Dialog.asClient(invite, SIPResponse.replyingTo(invite, 200, "OK", { toTag: "b" })),
        /Contact/);
});

test("dialog: UAS side keeps the Record-Route order and checks the remote CSeq", () => {
    const invite = request("INVITE", { cseq: 10 });
    invite.addHeader("Record-Route", "<sip:p1;lr>, <sip:p2;lr>");
    invite.addHeader("Contact", "<sip:alice@192.0.2.2>");
    const dialog = Dialog.asServer(invite, "b2");
    assert.deepEqual(dialog.routeSet, ["<sip:p1;lr>", "<sip:p2;lr>"]);
    assert.equal(dialog.id, "call-1|b2|a1");
    assert.equal(dialog.acceptRemoteSeq(request("BYE", { cseq: 9 })), false);
    assert.equal(dialog.acceptRemoteSeq(request("BYE", { cseq: 11 })), true);
    assert.equal(dialog.acceptRemoteSeq(request("ACK", { cseq: 10 })), true);
});

test("a server transaction the TU never answers gets 500 at 32 s (the 180's To tag kept), unless extended",
    async () => {
        const clock = new VirtualClock();
        const sent = [];
        const terminated = [];
        const options = { key: "k", send: (text) => sent.push(SIPParser.parse(text)), timers: clock,
            onTerminated: (transaction) => terminated.push(transaction) };
        const invite = new ServerTransaction({ ...options, request: request("INVITE") });
        let unanswered = 0;
        invite.onUnanswered = () => {
            unanswered += 1;
        };
        invite.respond(SIPResponse.replyingTo(invite.request, 180, "Ringing", { toTag: "b1" }));
        await clock.advance(31_999);
        assert.deepEqual(sent.map((message) => message.status), [180]);
        await clock.advance(1);
        assert.deepEqual(sent.map((message) => message.status), [180, 500]);
        assert.equal(sent[1].to.tag, "b1");
        assert.equal(unanswered, 1);
        assert.equal(invite.state, "completed");
        await clock.advance(32_000);
        assert.deepEqual(terminated, [invite], "Timer H then ends it");

        sent.length = 0;
        const message = new ServerTransaction({ ...options, request: request("MESSAGE", { branch: "z9hG4bKm" }) });
        message.extendDeadline(60_000);
        await clock.advance(59_999);
        assert.deepEqual(sent, []);
        await clock.advance(1);
        assert.equal(sent[0].status, 500);
        assert.ok(sent[0].to.tag, "a To tag is added to the final response");
        assert.equal(message.state, "terminated");

        sent.length = 0;
        const answered = new ServerTransaction({ ...options, request: request("MESSAGE", { branch: "z9hG4bKa" }) });
        answered.respond(SIPResponse.replyingTo(answered.request, 200, "OK", { toTag: "x" }));
        await clock.advance(120_000);
        assert.deepEqual(sent.map((response) => response.status), [200]);
        assert.equal(clock.pending.size, 0, "no timer left behind");
    });
