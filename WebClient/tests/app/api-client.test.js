import { test } from "node:test";
import assert from "node:assert/strict";

import { ApiClient, ApiError, describeSignInError, parseSignIn } from "../../js/app/api-client.js";
import { fakeFetch, jsonResponse, SESSION_INFO, SIGN_IN } from "./fakes.js";

test("signIn posts JSON with same-origin credentials and returns the checked SignIn", async () => {
    const { fetch, calls } = fakeFetch({ "POST /api/session": jsonResponse(200, SIGN_IN) });
    const api = new ApiClient({ fetch, timeoutMs: 0 });
    const account = await api.signIn("alice", "pw");
    assert.deepEqual(account, SIGN_IN);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].body, { user: "alice", password: "pw" });
    assert.equal(calls[0].init.credentials, "same-origin");
    assert.equal(calls[0].init.headers["Content-Type"], "application/json");
});

test("a 401 becomes kind unauthorized with the server's text", async () => {
    const { fetch } = fakeFetch({
        "POST /api/session": jsonResponse(401, { error: "wrong user name or password" }, "Unauthorized"),
    });
    const error = await new ApiClient({ fetch }).signIn("alice", "bad").catch((caught) => caught);
    assert.ok(error instanceof ApiError);
    assert.equal(error.kind, "unauthorized");
    assert.equal(error.status, 401);
    assert.equal(error.serverMessage, "wrong user name or password");
    assert.equal(describeSignInError(error), "wrong user name or password");
});

test("a 429 keeps the server's wait time in the message", async () => {
    const { fetch } = fakeFetch({
        "POST /api/session": jsonResponse(429, { error: "too many failed sign-ins; try again in 30 s" }),
    });
    const error = await new ApiClient({ fetch }).signIn("alice", "bad").catch((caught) => caught);
    assert.equal(error.kind, "rate-limited");
    assert.equal(describeSignInError(error), "too many failed sign-ins; try again in 30 s");
});

test("a rejected fetch is a network error with advice", async () => {
    const { fetch } = fakeFetch({ "POST /api/session": new TypeError("Failed to fetch") });
    const error = await new ApiClient({ fetch }).signIn("alice", "pw").catch((caught) => caught);
    assert.equal(error.kind, "network");
    assert.equal(error.status, 0);
    assert.match(describeSignInError(error), /Cannot reach the Parley server/);
    assert.ok(error.cause instanceof TypeError);
});

test("an aborted fetch is a timeout", async () => {
    const timeout = new DOMException("The operation timed out.", "TimeoutError");
    const { fetch } = fakeFetch({ "GET /api/session": timeout });
    const error = await new ApiClient({ fetch }).getSession().catch((caught) => caught);
    assert.equal(error.kind, "timeout");
    assert.match(error.message, /did not answer in time/);
});

test("a non-JSON error page still gives a status line", async () => {
    const { fetch } = fakeFetch({ "POST /api/session": jsonResponse(502, "<html>bad gateway</html>", "Bad Gateway") });
    const error = await new ApiClient({ fetch }).signIn("alice", "pw").catch((caught) => caught);
    assert.equal(error.kind, "server");
    assert.equal(error.serverMessage, null);
    assert.equal(describeSignInError(error), "The server answered 502 Bad Gateway.");
});

test("fallback texts when the server sends no error field", async () => {
    const cases = [[401, "wrong user name or password"], [429, "too many failed sign-ins; try again later"],
        [400, "the server could not read the sign-in request"]];
    for (const [status, text] of cases) {
        const { fetch } = fakeFetch({ "POST /api/session": jsonResponse(status, {}) });
        const error = await new ApiClient({ fetch }).signIn("a", "b").catch((caught) => caught);
        assert.equal(describeSignInError(error), text, `status ${status}`);
    }
    assert.match(describeSignInError(new Error("x")), /unexpected error/);
});

test("a 200 with missing SIP fields is refused as invalid-response", async () => {
    const broken = { ...SIGN_IN, sip: { ...SIGN_IN.sip, webSocketURL: "javascript:alert(1)" } };
    const { fetch } = fakeFetch({ "POST /api/session": jsonResponse(200, broken) });
    const error = await new ApiClient({ fetch }).signIn("alice", "pw").catch((caught) => caught);
    assert.equal(error.kind, "invalid-response");
    assert.throws(() => parseSignIn({ ...SIGN_IN, aor: "alice@localhost" }), ApiError);
    assert.throws(() => parseSignIn(null), ApiError);
});

test("getSession, renewKey and signOut use the documented methods and paths", async () => {
    const { fetch, calls } = fakeFetch({
        "GET /api/session": jsonResponse(200, SESSION_INFO),
        "POST /api/session/key": jsonResponse(200, SIGN_IN),
        "DELETE /api/session": jsonResponse(204),
    });
    const api = new ApiClient({ fetch, baseURL: "" });
    assert.deepEqual(await api.getSession(), SESSION_INFO);
    assert.equal((await api.renewKey()).sip.password, "opaque-secret");
    assert.equal(await api.signOut(), undefined);
    assert.deepEqual(calls.map((call) => call.key),
        ["GET /api/session", "POST /api/session/key", "DELETE /api/session"]);
    assert.equal(calls[0].init.body, undefined);
    assert.deepEqual(calls[1].body, {});
});

test("displayName null and a missing expiresAt are kept as null", async () => {
    const { fetch } = fakeFetch({
        "GET /api/session": jsonResponse(200, { ...SESSION_INFO, displayName: null, expiresAt: "soon" }),
    });
    const session = await new ApiClient({ fetch }).getSession();
    assert.equal(session.displayName, null);
    assert.equal(session.expiresAt, null);
});

test("a long server message is cut to 300 characters", async () => {
    const { fetch } = fakeFetch({ "POST /api/session": jsonResponse(400, { error: "x".repeat(1000) }) });
    const error = await new ApiClient({ fetch }).signIn("a", "b").catch((caught) => caught);
    assert.equal(error.kind, "bad-request");
    assert.equal(error.serverMessage.length, 300);
});
