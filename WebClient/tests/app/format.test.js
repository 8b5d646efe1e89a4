import { test } from "node:test";
import assert from "node:assert/strict";

import {
    formatClockTime, formatDuration, formatStatus, mediaErrorText, partyLabel, sendFailureText, sendResultText, toDate,
} from "../../js/app/format.js";

test("formatDuration gives mm:ss and keeps counting minutes past an hour", () => {
    assert.equal(formatDuration(0), "00:00");
    assert.equal(formatDuration(999), "00:00");
    assert.equal(formatDuration(1000), "00:01");
    assert.equal(formatDuration(65_400), "01:05");
    assert.equal(formatDuration(59 * 60_000 + 59_999), "59:59");
    assert.equal(formatDuration(75 * 60_000 + 3000), "75:03");
});

test("formatDuration treats negative and non-numeric input as zero", () => {
    assert.equal(formatDuration(-5000), "00:00");
    assert.equal(formatDuration(Number.NaN), "00:00");
    assert.equal(formatDuration(undefined), "00:00");
    assert.equal(formatDuration(Infinity), "00:00");
});

test("toDate accepts Date, timestamps and date strings and refuses garbage", () => {
    assert.equal(toDate(0).getTime(), 0);
    assert.equal(toDate("Sat, 13 Nov 2010 23:29:00 GMT").toISOString(), "2010-11-13T23:29:00.000Z");
    const original = new Date(5);
    const copy = toDate(original);
    assert.notEqual(copy, original);
    assert.equal(copy.getTime(), 5);
    assert.equal(toDate("not a date"), null);
    assert.equal(toDate(null), null);
    assert.equal(toDate(""), null);
});

test("formatClockTime shows hours and minutes in the given zone", () => {
    const instant = Date.UTC(2024, 4, 1, 14, 5, 30);
    assert.equal(formatClockTime(instant, { locale: "en-GB", timeZone: "UTC" }), "14:05");
    assert.equal(formatClockTime(new Date(instant), { locale: "en-GB", timeZone: "Europe/Paris" }), "16:05");
    assert.equal(formatClockTime("nonsense"), "");
});

test("formatStatus joins code and reason, filling in the standard phrase", () => {
    assert.equal(formatStatus(480, "Temporarily Unavailable"), "480 Temporarily Unavailable");
    assert.equal(formatStatus(486), "486 Busy Here");
    assert.equal(formatStatus(404, "  "), "404 Not Found");
    assert.equal(formatStatus(499), "499");
    assert.equal(formatStatus(486, "Occupied"), "486 Occupied");
    assert.equal(formatStatus(undefined), "no answer");
    assert.equal(formatStatus(0, "socket closed"), "socket closed");
});

test("sendResultText says delivered for every 2xx and why not otherwise", () => {
    assert.equal(sendResultText({ status: 200, reason: "OK" }), "delivered");
    assert.equal(sendResultText({ status: 202, reason: "Accepted" }), "delivered");
    assert.equal(sendResultText({ status: 480, reason: "Temporarily Unavailable" }),
        "not delivered: 480 Temporarily Unavailable");
    assert.equal(sendResultText({ status: 404 }), "not delivered: 404 Not Found");
    assert.equal(sendResultText(null), "not delivered: no answer");
});

test("sendFailureText names the transport problem", () => {
    assert.equal(sendFailureText(new Error("WebSocket closed")), "not sent: WebSocket closed");
    assert.equal(sendFailureText("weird"), "not sent: connection problem");
});

test("mediaErrorText explains the getUserMedia errors", () => {
    assert.match(mediaErrorText({ name: "NotAllowedError" }), /denied/);
    assert.match(mediaErrorText({ name: "NotFoundError" }), /No microphone/);
    assert.match(mediaErrorText({ name: "NotReadableError" }), /in use/);
    assert.match(mediaErrorText({ name: "NotSupportedError" }), /https/);
    assert.equal(mediaErrorText(new Error("boom")), "The microphone is unavailable: boom.");
    assert.equal(mediaErrorText(undefined), "The microphone is unavailable.");
});

test("partyLabel prefers name with URI, then either, then the fallback", () => {
    assert.equal(partyLabel({ uri: "sip:bob@localhost", displayName: "Bob" }), "Bob (sip:bob@localhost)");
    assert.equal(partyLabel({ uri: "sip:bob@localhost", displayName: null }), "sip:bob@localhost");
    assert.equal(partyLabel({ displayName: "Bob" }), "Bob");
    assert.equal(partyLabel(null, "bob"), "bob");
    assert.equal(partyLabel({}), "unknown");
});
