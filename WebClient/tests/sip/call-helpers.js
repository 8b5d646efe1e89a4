// Call set-ups shared by the call tests (not a test file: node --test runs only *.test.js here).
import assert from "node:assert/strict";
import { FakeMediaStream } from "./fakes.js";
import { fakeSDP, settle } from "./harness.js";

export const BOB_CONTACT = "<sip:bob@192.0.2.9:5070;transport=udp>";
export const ROUTE_NEAR = "<sip:127.0.0.1:8443;transport=ws;lr>";
export const ROUTE_FAR = "<sip:198.51.100.1;lr>";

/** Records a session's events. */
export function watch(session) {
    const log = [];
    for (const type of ["statechange", "remotestream", "ended"]) {
        session.addEventListener(type, (event) => log.push({ type, detail: event.detail }));
    }
    return log;
}

export async function startOutgoingCall(harness) {
    const server = await harness.register();
    const localStream = new FakeMediaStream();
    const session = harness.ua.call("bob", { localStream, rtcConfiguration: { iceServers: [] } });
    const log = watch(session);
    assert.equal(session.state, "calling");
    assert.equal(session.direction, "outgoing");
    const invite = await server.expectRequest("INVITE");
    return { server, session, log, invite, localStream, pc: harness.PeerConnection.instances[0] };
}

/** 180 then 200 with SDP, Contact and two Record-Routes (the one nearest to us last, RFC 3261 §12.1.2). */
export async function answer(server, invite) {
    server.respond(invite, 180, "Ringing", { headers: [["Contact", BOB_CONTACT]] });
    await settle();
    server.respond(invite, 200, "OK", {
        headers: [["Contact", BOB_CONTACT], ["Record-Route", ROUTE_FAR], ["Record-Route", ROUTE_NEAR]],
        contentType: "application/sdp", body: fakeSDP("bob answer"),
    });
    return server.expectRequest("ACK");
}

/** Parley forwards Bob's INVITE to the registered Contact; returns the session from "incomingcall". */
export async function receiveCall(harness, { body = fakeSDP("bob offer"), branch = null } = {}) {
    const server = await harness.register();
    const invite = server.sendRequest("INVITE", {
        uri: harness.ua.contactURI.toString(), contentType: body ? "application/sdp" : null, body, branch,
    });
    const ringing = await server.expectResponse(180, "INVITE");
    const incoming = harness.events.filter((event) => event.type === "incomingcall");
    assert.equal(incoming.length, 1);
    const session = incoming[0].detail.session;
    return { server, invite, ringing, session, log: watch(session) };
}
