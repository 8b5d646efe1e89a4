import { test } from "node:test";
import assert from "node:assert/strict";

import { Conversation, conversationKey } from "../../js/app/chat-conversation.js";
import {
    chatTime, classifyIncoming, composeProblem, messageFromHistory, outgoingMessage, roomCommand, unwrappedDetail,
    userOfURI,
} from "../../js/app/chat-message.js";
import { NOW, plainEvent, privateEvent, roomEvent, stored } from "./chat-fakes.js";

const context = { self: "alice", domain: "localhost", isRoom: (name) => ["lobby", "dev"].includes(name), now: NOW };

test("userOfURI: names of our domain only", () => {
    assert.equal(userOfURI("sip:bob@localhost", "localhost"), "bob");
    assert.equal(userOfURI("sips:Bob.B@LOCALHOST:5061;transport=tls", "localhost"), "Bob.B");
    assert.equal(userOfURI("sip:b%6Fb@localhost", "localhost"), "bob");
    for (const other of ["sip:bob@example.org", "tel:+1555", "sip:localhost", "sip:a+buddies@localhost", null,
        "sip:%ZZ@localhost"]) {
        assert.equal(userOfURI(other, "localhost"), null, String(other));
    }
});

test("classifyIncoming: a CPIM room message is the room's, from the CPIM sender, with its stored id", () => {
    const result = classifyIncoming(roomEvent("lobby", "bob", 42, "hello"), context);
    assert.equal(result.kind, "room");
    assert.equal(result.room, "lobby");
    assert.deepEqual({ ...result.message }, {
        key: "id:42", id: 42, sender: "bob", from: "sip:bob@localhost", body: "hello", at: NOW + 42, own: false,
        notice: false, delivery: null, deliveryText: "",
    });
    // A CPIM To never makes a name a room: a room this page does not know yet is plain text from its URI
    // (the controller reads the room list and classifies it again).
    const unknown = classifyIncoming(roomEvent("games", "carol", 7, "gg"), context);
    assert.equal(unknown.kind, "private");
    assert.deepEqual([unknown.peer, unknown.message.sender, unknown.message.id, unknown.trusted],
        ["games", "games", null, false]);
    assert.equal(classifyIncoming(roomEvent("lobby", "alice", 43, "mine"), context).message.own, true);
});

test("classifyIncoming: private CPIM, our own copy, plain text, room notices, and what is not a chat", () => {
    const fromBob = classifyIncoming(privateEvent("bob", 5, "hi"), context);
    assert.equal(fromBob.kind, "private");
    assert.equal(fromBob.peer, "bob");
    assert.equal(fromBob.message.id, 5);
    const ownCopy = classifyIncoming(privateEvent("alice", 6, "sent elsewhere", { to: "bob" }), context);
    assert.equal(ownCopy.peer, "bob");
    assert.equal(ownCopy.message.own, true);
    const plain = classifyIncoming(plainEvent("sip:dave@localhost", "from a desk phone"), context);
    assert.equal(plain.kind, "private");
    assert.equal(plain.peer, "dave");
    assert.equal(plain.message.id, null);
    assert.match(plain.message.key, /^local:/);
    const notice = classifyIncoming(plainEvent("sip:lobby@localhost", "You joined lobby."), context);
    assert.equal(notice.kind, "notice");
    assert.equal(notice.message.notice, true);
    assert.equal(classifyIncoming(plainEvent("sip:carol@example.org", "hi"), context), null);
    assert.equal(classifyIncoming(plainEvent("sip:alice@localhost", "me"), context), null);
    assert.equal(classifyIncoming(null, context), null);
    const noId = classifyIncoming({ ...privateEvent("bob", 1, "x"), cpim: { ...privateEvent("bob", 1, "x").cpim,
        messageId: "abc" } }, context);
    assert.equal(noId.message.id, null, "an id that is not a number is no stored id");
});

test("Conversation.merge: de-duplicates by id, keeps id order, older pages go first", () => {
    const conversation = new Conversation({ kind: "room", name: "lobby", uri: "sip:lobby@localhost" });
    assert.equal(conversation.key, conversationKey("room", "lobby"));
    assert.equal(conversation.label, "lobby");
    const page = [10, 11, 12].map((id) => messageFromHistory(stored(id, "bob"), "alice"));
    assert.equal(conversation.merge(page).length, 3);
    assert.equal(conversation.merge([messageFromHistory(stored(11, "bob"), "alice")]).length, 0, "duplicate id");
    conversation.merge([7, 8, 9].map((id) => messageFromHistory(stored(id, "bob"), "alice")));
    conversation.merge([messageFromHistory(stored(14, "carol"), "alice"), messageFromHistory(stored(13, "bob"),
        "alice")]);
    assert.deepEqual(conversation.messages.map((message) => message.id), [7, 8, 9, 10, 11, 12, 13, 14]);
    assert.equal(conversation.oldestId, 7);
    assert.equal(conversation.newestId, 14);
    assert.ok(conversation.hasId(12));
});

test("Conversation.merge: a stored copy replaces our shown message and a plain-text delivery", () => {
    const conversation = new Conversation({ kind: "private", name: "bob", label: "Bob", uri: "sip:bob@localhost" });
    conversation.merge([messageFromHistory(stored(1, "bob", "hi"), "alice")]);
    const echo = outgoingMessage("alice", "sip:alice@localhost", "hello Bob", NOW);
    conversation.merge([echo]);
    const failed = outgoingMessage("alice", "sip:alice@localhost", "lost", NOW + 1);
    conversation.merge([failed]);
    conversation.update(failed.key, { delivery: "failed", deliveryText: "not sent" });
    const plain = { ...classifyIncoming(plainEvent("sip:bob@localhost", "plain one"), context).message, at: NOW + 2 };
    assert.equal(conversation.merge([plain]).length, 1);
    const stored2 = messageFromHistory({ ...stored(2, "alice", "hello Bob"), at: NOW }, "alice");
    const stored3 = messageFromHistory({ ...stored(3, "bob", "plain one"), at: NOW + 2 }, "alice");
    assert.deepEqual(conversation.merge([stored2, stored3]), [], "replacements are not new messages");
    assert.deepEqual(conversation.messages.map((message) => [message.id, message.body]),
        [[1, "hi"], [2, "hello Bob"], [null, "lost"], [3, "plain one"]]);
    assert.equal(conversation.update("local:none", {}), false);
    conversation.clear();
    assert.deepEqual(conversation.messages, []);
    assert.equal(conversation.hasId(1), false);
});

test("Conversation.merge: a message without id stays after older stored messages that arrive later", () => {
    const conversation = new Conversation({ kind: "private", name: "dave", uri: "sip:dave@localhost" });
    conversation.merge([{ ...classifyIncoming(plainEvent("sip:dave@localhost", "now"), context).message, at: NOW }]);
    conversation.merge([1, 2].map((id) => messageFromHistory(stored(id, "dave"), "alice")));
    assert.deepEqual(conversation.messages.map((message) => message.body), ["message 1", "message 2", "now"]);
});

test("chatTime, composeProblem, roomCommand", () => {
    const today = chatTime(NOW - 60_000, { now: NOW, locale: "en-GB", timeZone: "UTC" });
    assert.equal(today.text, "12:59");
    assert.equal(today.iso, "2026-11-27T12:59:00.000Z");
    const earlier = chatTime(Date.UTC(2026, 10, 20, 9, 30), { now: NOW, locale: "en-GB", timeZone: "UTC" });
    assert.match(earlier.text, /20 Nov.*09:30/);
    assert.equal(composeProblem("  "), "Write a message first.");
    assert.match(composeProblem("é".repeat(4097)), /too long/);
    assert.equal(composeProblem("é".repeat(4096)), "");
    assert.equal(roomCommand(" /join "), "join");
    assert.equal(roomCommand("/leave"), "leave");
    assert.equal(roomCommand("/join now"), null);
});

test("unwrappedDetail gives the Messages card the CPIM sender, text and time", () => {
    const event = privateEvent("bob", 5, "hi there");
    const detail = unwrappedDetail(event);
    assert.equal(detail.from, "sip:bob@localhost");
    assert.equal(detail.body, "hi there");
    assert.equal(detail.contentType, "text/plain;charset=utf-8");
    assert.equal(detail.date.getTime(), NOW + 5);
    const plain = plainEvent("sip:dave@localhost", "x");
    assert.equal(unwrappedDetail(plain), plain);
});

/** A MESSAGE whose SIP From and CPIM envelope are given separately (a forgery, or Parley's own kinds). */
function cpimEvent(sipFrom, { from, to = "sip:alice@localhost", id = 77, body = "trust me" }) {
    return {
        from: sipFrom, fromDisplayName: null, to: "sip:alice@localhost", contentType: "message/cpim",
        body: "(raw cpim)", date: new Date(NOW),
        cpim: { from, fromDisplayName: "Claimed", to, toDisplayName: null, dateTime: new Date(NOW - 5000),
            messageId: String(id), contentType: "text/plain;charset=utf-8", body },
    };
}

test("classifyIncoming: a forged CPIM envelope is plain text from the SIP From, with no stored id", () => {
    // A user claims to relay bob's message: it is dave's text, without id or claimed time.
    const forged = classifyIncoming(cpimEvent("sip:dave@localhost", { from: "sip:bob@localhost" }), context);
    assert.equal(forged.kind, "private");
    assert.equal(forged.peer, "dave");
    assert.equal(forged.trusted, false);
    assert.deepEqual([forged.message.sender, forged.message.from, forged.message.id, forged.message.body,
        forged.message.at], ["dave", "sip:dave@localhost", null, "trust me", NOW]);
    assert.match(forged.message.key, /^local:/);
    // A CPIM To naming a room does not make a user a room.
    const toRoom = classifyIncoming(cpimEvent("sip:dave@localhost", { from: "sip:dave@localhost",
        to: "sip:lobby@localhost" }), context);
    assert.deepEqual([toRoom.kind, toRoom.peer, toRoom.message.id], ["private", "dave", 77]);
    // From a known room: only a CPIM To of that room and a sender of our domain count; else it is a notice.
    for (const [from, to] of [["sip:bob@localhost", "sip:dev@localhost"], ["sip:bob@example.org",
        "sip:lobby@localhost"], ["sip:lobby@localhost", "sip:lobby@localhost"]]) {
        const result = classifyIncoming(cpimEvent("sip:lobby@localhost", { from, to }), context);
        assert.deepEqual([result.kind, result.room, result.message.id, result.message.sender],
            ["notice", "lobby", null, ""], `${from} to ${to}`);
    }
    // Other domains: never their ids or senders, whatever the envelope says.
    assert.equal(classifyIncoming(cpimEvent("sip:mallory@example.org", { from: "sip:bob@localhost" }), context),
        null);
    assert.equal(classifyIncoming(cpimEvent("sip:bob@example.org", { from: "sip:bob@example.org" }), context), null);
    // Our own address with someone else's envelope, or a copy of ours "to" a room: not a chat message.
    assert.equal(classifyIncoming(cpimEvent("sip:alice@localhost", { from: "sip:bob@localhost" }), context), null);
    assert.equal(classifyIncoming(cpimEvent("sip:alice@localhost", { from: "sip:alice@localhost",
        to: "sip:lobby@localhost" }), context), null);
    // Stored private messages (CPIM From = SIP From) keep their id and time.
    const stored = classifyIncoming(cpimEvent("sip:bob@localhost", { from: "sip:bob@localhost" }), context);
    assert.deepEqual([stored.kind, stored.peer, stored.message.id, stored.message.at, stored.trusted],
        ["private", "bob", 77, NOW - 5000, true]);
});

test("unwrappedDetail: the Messages card shows the SIP From when the envelope cannot be believed", () => {
    const options = { domain: "localhost", isRoom: context.isRoom };
    const forged = cpimEvent("sip:dave@localhost", { from: "sip:bob@localhost" });
    const shown = unwrappedDetail(forged, options);
    assert.equal(shown.from, "sip:dave@localhost");
    assert.equal(shown.fromDisplayName, null);
    assert.equal(shown.body, "trust me");
    assert.equal(shown.date.getTime(), NOW, "the arrival time, not the claimed one");
    assert.equal(unwrappedDetail(forged).from, "sip:dave@localhost", "without a context too");
    const foreign = cpimEvent("sip:mallory@example.org", { from: "sip:mallory@example.org" });
    assert.equal(unwrappedDetail(foreign, options).from, "sip:mallory@example.org");
    assert.equal(unwrappedDetail(foreign, options).date.getTime(), NOW, "another domain's envelope is not used");
    const relayed = unwrappedDetail(roomEvent("lobby", "bob", 3, "hi"), options);
    assert.equal(relayed.from, "sip:bob@localhost", "a room's relay names the member");
});

test("Conversation.merge: a pending message matches only stored ids above the newest known when it came", () => {
    const conversation = new Conversation({ kind: "room", name: "lobby", uri: "sip:lobby@localhost" });
    conversation.merge([messageFromHistory(stored(10, "bob", "hi"), "alice")]);
    const echo = outgoingMessage("alice", "sip:alice@localhost", "ok", NOW);
    conversation.merge([echo]);
    // An older page with the same words said long ago: a message of its own, the echo stays pending.
    const old = messageFromHistory(stored(4, "alice", "ok"), "alice");
    assert.deepEqual(conversation.merge([old], { older: true }), [old]);
    // A stored id at or below the newest known when the echo was shown is not its copy either.
    const gap = messageFromHistory(stored(8, "alice", "ok"), "alice");
    assert.deepEqual(conversation.merge([gap]), [gap]);
    assert.ok(conversation.messages.includes(echo));
    // The copy: above 10.
    assert.deepEqual(conversation.merge([messageFromHistory(stored(11, "alice", "ok"), "alice")]), []);
    assert.equal(conversation.messages.includes(echo), false);
    assert.deepEqual(conversation.messages.map((message) => message.id), [4, 8, 10, 11]);
});
