import { test } from "node:test";
import assert from "node:assert/strict";

import { appendDigit, DTMFKeypad, isKeypadDigit, KEYPAD_DIGITS } from "../../js/app/dtmf-keypad.js";
import {
    normalizePresence, PRESENCE_STATUSES, PRESENCE_STORAGE_KEY, presenceText, PresenceStore,
} from "../../js/app/presence-selector.js";
import { FakeDocument, FakeElement } from "./fake-dom.js";
import { FakeStorage } from "./fakes.js";

test("the presence values are the contract's, in order", () => {
    assert.deepEqual(PRESENCE_STATUSES.map((entry) => entry.value), ["available", "away", "busy", "dnd"]);
});

test("normalizePresence keeps known statuses and tidies the note", () => {
    assert.deepEqual(normalizePresence({ status: "dnd", note: "  in a\n meeting " }),
        { status: "dnd", note: "in a meeting" });
    assert.deepEqual(normalizePresence({ status: "sleeping", note: 7 }), { status: "available", note: "" });
    assert.deepEqual(normalizePresence(null), { status: "available", note: "" });
    assert.equal(normalizePresence({ status: "away", note: "n".repeat(500) }).note.length, 100);
});

test("presenceText shows the label and the note", () => {
    assert.equal(presenceText({ status: "dnd", note: "" }), "Do not disturb");
    assert.equal(presenceText({ status: "away", note: "back at 3" }), "Away: back at 3");
});

test("PresenceStore keeps the choice in localStorage and survives damaged or blocked storage", () => {
    const storage = new FakeStorage();
    const store = new PresenceStore(storage);
    assert.deepEqual(store.load(), { status: "available", note: "" });
    assert.deepEqual(store.save({ status: "busy", note: " lunch " }), { status: "busy", note: "lunch" });
    assert.deepEqual(JSON.parse(storage.items.get(PRESENCE_STORAGE_KEY)), { status: "busy", note: "lunch" });
    assert.deepEqual(new PresenceStore(storage).load(), { status: "busy", note: "lunch" });
    storage.items.set(PRESENCE_STORAGE_KEY, "{oops");
    assert.deepEqual(store.load(), { status: "available", note: "" });
    storage.broken = true;
    assert.doesNotThrow(() => store.save({ status: "away", note: "" }));
    const memoryOnly = new PresenceStore(null);
    memoryOnly.save({ status: "away", note: "x" });
    assert.deepEqual(memoryOnly.load(), { status: "away", note: "x" });
});

test("keypad digits are 0-9, * and #", () => {
    assert.equal(KEYPAD_DIGITS.length, 12);
    for (const digit of "0123456789*#") assert.equal(isKeypadDigit(digit), true, digit);
    for (const other of ["A", "", "12", " ", null, 5]) assert.equal(isKeypadDigit(other), false, String(other));
});

test("appendDigit keeps only the last digits past the limit", () => {
    assert.equal(appendDigit("", "1"), "1");
    assert.equal(appendDigit("12", "#"), "12#");
    assert.equal(appendDigit("1234", "5", 4), "2345");
    assert.equal(appendDigit(undefined, "0"), "0");
});

test("DTMFKeypad sends only while enabled and shows what it sent", () => {
    const document = new FakeDocument();
    const buttons = KEYPAD_DIGITS.map((digit) => {
        const button = new FakeElement(document, "BUTTON");
        button.dataset.digit = digit;
        return button;
    });
    const container = new FakeElement(document, "DIV", buttons);
    const output = new FakeElement(document, "OUTPUT");
    const sent = [];
    const keypad = new DTMFKeypad({ container, output }, (digit) => sent.push(digit));
    assert.equal(keypad.press("1"), false);
    keypad.setEnabled(true);
    assert.equal(buttons.every((button) => !button.disabled), true);
    assert.equal(keypad.press("1"), true);
    assert.equal(keypad.press("B"), false);
    keypad.press("#");
    assert.deepEqual(sent, ["1", "#"]);
    assert.equal(output.textContent, "1#");
    keypad.clear();
    assert.equal(output.textContent, "");
    keypad.setEnabled(false);
    assert.equal(buttons.every((button) => button.disabled), true);
});
