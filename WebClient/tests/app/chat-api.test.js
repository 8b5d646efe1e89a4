import { test } from "node:test";
import assert from "node:assert/strict";

import {
    ApiClient, ApiError, isChatName, parseChatMessage, parseHistory, parseMessageId, parseRooms,
} from "../../js/app/api-client.js";
import { fakeFetch, jsonResponse } from "./fakes.js";

const ROOMS = {
    rooms: [
        { name: "lobby", displayName: "Lobby", uri: "sip:lobby@localhost", members: ["alice", "bob"], unread: 3 },
        { name: "dev-team", uri: "sip:dev-team@localhost", members: ["alice"], unread: 0 },
    ],
    available: [{ name: "random", displayName: "Random", uri: "sip:random@localhost" }],
    privateUnread: { bob: 1 },
};

const MESSAGE = { id: 42, sender: "bob", from: "sip:bob@localhost", contentType: "text/plain", body: "hi",
    at: 1_795_000_000_000 };

test("rooms() reads rooms, available rooms and private unread counts", async () => {
    const { fetch, calls } = fakeFetch({ "GET /api/rooms": jsonResponse(200, ROOMS) });
    const answer = await new ApiClient({ fetch, timeoutMs: 0 }).rooms();
    assert.deepEqual(answer, {
        rooms: [
            { name: "lobby", displayName: "Lobby", uri: "sip:lobby@localhost", members: ["alice", "bob"], unread: 3 },
            { name: "dev-team", displayName: null, uri: "sip:dev-team@localhost", members: ["alice"], unread: 0 },
        ],
        available: [{ name: "random", displayName: "Random", uri: "sip:random@localhost" }],
        privateUnread: { bob: 1 },
    });
    assert.equal(calls[0].init.credentials, "same-origin");
    assert.equal(calls[0].init.headers.Accept, "application/json");
});

test("parseRooms drops malformed entries and tolerates a missing available list", () => {
    const answer = parseRooms({
        rooms: [null, { name: "../etc", uri: "sip:x@y" }, { name: "ok", uri: "javascript:alert(1)" },
            { name: "fine", uri: "sip:fine@localhost", members: ["bob", "<script>", 7], unread: -2 }],
        privateUnread: { bob: 2, "bad name": 4, carol: "many", dave: 0 },
    });
    assert.deepEqual(answer.rooms, [{ name: "fine", displayName: null, uri: "sip:fine@localhost",
        members: ["bob"], unread: 0 }]);
    assert.deepEqual(answer.available, []);
    assert.deepEqual(answer.privateUnread, { bob: 2 });
    assert.throws(() => parseRooms({ rooms: "no" }), (error) => error instanceof ApiError &&
        error.kind === "invalid-response");
    assert.throws(() => parseRooms(null), ApiError);
});

test("roomHistory and privateHistory: paths, cursors, oldest first, malformed messages dropped", async () => {
    const page = { messages: [{ ...MESSAGE, id: 44 }, MESSAGE, { id: "x", sender: "bob", body: "?" },
        { id: 43, sender: "", body: "no sender" }] };
    const { fetch, calls } = fakeFetch({
        "GET /api/rooms/lobby/messages": jsonResponse(200, page),
        "GET /api/rooms/lobby/messages?before=42&limit=50": jsonResponse(200, { messages: [] }),
        "GET /api/rooms/lobby/messages?after=44": jsonResponse(200, { messages: [] }),
        "GET /api/private/bob/messages?limit=1": jsonResponse(200, { messages: [MESSAGE] }),
    });
    const api = new ApiClient({ fetch, timeoutMs: 0 });
    const newest = await api.roomHistory("lobby");
    assert.deepEqual(newest.map((message) => message.id), [42, 44]);
    assert.deepEqual(newest[0], MESSAGE);
    assert.deepEqual(await api.roomHistory("lobby", { before: 42, limit: 50 }), []);
    assert.deepEqual(await api.roomHistory("lobby", { after: 44 }), []);
    assert.deepEqual(await api.privateHistory("bob", { limit: 1 }), [MESSAGE]);
    assert.equal(calls.length, 4);
    assert.ok(calls.every((call) => call.init.method === "GET" && call.body === undefined));
});

test("history arguments are checked before any request", async () => {
    const { fetch, calls } = fakeFetch({});
    const api = new ApiClient({ fetch, timeoutMs: 0 });
    await assert.rejects(api.roomHistory("../session"), TypeError);
    await assert.rejects(api.roomHistory(".."), TypeError);
    await assert.rejects(api.privateHistory("bob", { before: 1, after: 2 }), /not both/);
    await assert.rejects(api.privateHistory("bob", { before: -1 }), /before must be a message id/);
    await assert.rejects(api.privateHistory("bob", { limit: 501 }), /limit must be 1 to 500/);
    await assert.rejects(api.markRoomRead("lobby", "x"), /upTo must be a message id/);
    assert.equal(calls.length, 0);
});

test("history errors come as ApiError like the other calls: 403, 404, a page without messages", async () => {
    const { fetch } = fakeFetch({
        "GET /api/rooms/secret/messages": jsonResponse(403, { error: "not a member of secret" }, "Forbidden"),
        "GET /api/private/nobody/messages": jsonResponse(404, { error: "no user nobody" }),
        "GET /api/rooms/odd/messages": jsonResponse(200, { items: [] }),
        "GET /api/rooms/down/messages": new TypeError("Failed to fetch"),
    });
    const api = new ApiClient({ fetch, timeoutMs: 0 });
    const forbidden = await api.roomHistory("secret").catch((error) => error);
    assert.ok(forbidden instanceof ApiError);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.message, "not a member of secret");
    const missing = await api.privateHistory("nobody").catch((error) => error);
    assert.equal(missing.status, 404);
    assert.equal((await api.roomHistory("odd").catch((error) => error)).kind, "invalid-response");
    assert.equal((await api.roomHistory("down").catch((error) => error)).kind, "network");
});

test("read markers, join and leave post JSON and accept 204", async () => {
    const { fetch, calls } = fakeFetch({
        "POST /api/rooms/lobby/read": jsonResponse(204),
        "POST /api/private/bob/read": jsonResponse(204),
        "POST /api/rooms/random/join": jsonResponse(204),
        "POST /api/rooms/lobby/leave": jsonResponse(204),
        "POST /api/rooms/gone/join": jsonResponse(404, { error: "no room gone" }),
    });
    const api = new ApiClient({ fetch, timeoutMs: 0 });
    assert.equal(await api.markRoomRead("lobby", 42), undefined);
    await api.markPrivateRead("bob", "7");
    await api.joinRoom("random");
    await api.leaveRoom("lobby");
    assert.deepEqual(calls.map((call) => [call.key, call.body]), [
        ["POST /api/rooms/lobby/read", { upTo: 42 }],
        ["POST /api/private/bob/read", { upTo: 7 }],
        ["POST /api/rooms/random/join", {}],
        ["POST /api/rooms/lobby/leave", {}],
    ]);
    assert.ok(calls.every((call) => call.init.headers["Content-Type"] === "application/json"));
    const gone = await api.joinRoom("gone").catch((error) => error);
    assert.equal(gone.status, 404);
    assert.equal(gone.serverMessage, "no room gone");
});

test("users() lists names, display names and URIs", async () => {
    const { fetch } = fakeFetch({ "GET /api/users": jsonResponse(200, { users: [
        { name: "bob", displayName: "Bob", uri: "sip:bob@localhost" }, { name: "carol", uri: "data:x" },
        { name: "no good" }, "junk"] }) });
    assert.deepEqual(await new ApiClient({ fetch, timeoutMs: 0 }).users(), [
        { name: "bob", displayName: "Bob", uri: "sip:bob@localhost" },
        { name: "carol", displayName: null, uri: "" },
    ]);
    const { fetch: broken } = fakeFetch({ "GET /api/users": jsonResponse(200, {}) });
    assert.equal((await new ApiClient({ fetch: broken }).users().catch((error) => error)).kind, "invalid-response");
});

test("small parsers: names, ids, messages", () => {
    assert.ok(isChatName("a-b.c_d~e9"));
    for (const bad of ["", ".", "...", "a/b", "a b", "a+buddies", "x".repeat(65), 5]) assert.ok(!isChatName(bad), bad);
    assert.equal(parseMessageId("42"), 42);
    assert.equal(parseMessageId(0), 0);
    for (const bad of [-1, 1.5, "4e2", "", null, 2 ** 60]) assert.equal(parseMessageId(bad), null);
    assert.deepEqual(parseChatMessage({ id: 1, sender: "bob", body: "" }),
        { id: 1, sender: "bob", from: "", contentType: "text/plain", body: "", at: 0 });
    assert.equal(parseChatMessage({ id: 1, sender: "bob" }), null);
    assert.deepEqual(parseHistory({ messages: [] }), []);
});
