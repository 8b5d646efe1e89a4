import { test } from "node:test";
import assert from "node:assert/strict";

import { composeError, MessagesView, messageEntryModel } from "../../js/app/messages-view.js";
import { FakeDocument, FakeElement } from "./fake-dom.js";

const NOON = Date.UTC(2024, 4, 1, 12, 0, 0);

test("messageEntryModel shows the sender's URI next to the display name and keeps it for data-from", () => {
    const model = messageEntryModel({
        from: "sip:bob@localhost", fromDisplayName: "Bob", contentType: "text/plain", body: "hi", date: NOON,
    }, { locale: "en-GB", timeZone: "UTC" });
    assert.deepEqual(model, {
        from: "sip:bob@localhost", sender: "Bob (sip:bob@localhost)", timeISO: "2024-05-01T12:00:00.000Z",
        timeText: "12:00", body: "hi",
    });
    // A display name cannot pass for someone else: the URI Parley put in From is shown with it.
    const posing = messageEntryModel({ from: "sip:mallory@localhost", fromDisplayName: "Alice" }, { now: NOON });
    assert.equal(posing.sender, "Alice (sip:mallory@localhost)");
});

test("messageEntryModel falls back to the URI, to now, and hides non-text bodies", () => {
    const model = messageEntryModel({ from: "sip:bob@localhost", body: "<b>x</b>", date: "garbage" },
        { now: NOON, locale: "en-GB", timeZone: "UTC" });
    assert.equal(model.sender, "sip:bob@localhost");
    assert.equal(model.timeText, "12:00");
    assert.equal(model.body, "<b>x</b>", "text is kept as text; the view writes it with textContent");
    const binary = messageEntryModel({ from: "sip:bob@localhost", contentType: "application/im-iscomposing+xml",
        body: "<x/>" }, { now: NOON });
    assert.equal(binary.body, "(application/im-iscomposing+xml content, 4 characters, not shown)");
    assert.equal(messageEntryModel({}, { now: NOON }).sender, "unknown sender");
    assert.equal(messageEntryModel({ body: "y".repeat(5000) }, { now: NOON }).body.length, 4001);
});

test("composeError asks for a recipient, then for text", () => {
    assert.match(composeError("", "hi"), /who the message is for/);
    assert.match(composeError("bob", "  "), /message text/);
    assert.equal(composeError("bob", "hi"), "");
});

function messagesSetup(send) {
    const document = new FakeDocument();
    const make = (tagName) => new FakeElement(document, tagName);
    const elements = {
        list: make("OL"), empty: make("P"), form: make("FORM"), to: make("INPUT"), text: make("TEXTAREA"),
        send: make("BUTTON"), formError: make("P"), results: make("OL"),
    };
    const view = new MessagesView(elements, send, { maxEntries: 3, now: () => NOON });
    return { elements, view };
}

async function submit(elements) {
    elements.form.dispatchEvent(new Event("submit", { cancelable: true }));
    // Let the awaited send settle.
    for (let turn = 0; turn < 5; turn++) await Promise.resolve();
}

test("incoming messages become li.message with data-from and a .message-body, oldest dropped past the limit", () => {
    const { elements, view } = messagesSetup(async () => ({ status: 200, reason: "OK" }));
    assert.equal(elements.empty.hidden, false);
    for (let index = 0; index < 4; index++) {
        view.addIncoming({ from: `sip:u${index}@localhost`, body: `<img src=x onerror=alert(${index})>` });
    }
    assert.equal(elements.empty.hidden, true);
    assert.equal(elements.list.children.length, 3);
    const first = elements.list.children[0];
    assert.equal(first.className, "message");
    assert.equal(first.dataset.from, "sip:u1@localhost");
    view.addIncoming({ from: "sip:mallory@localhost", fromDisplayName: "Alice", body: "trust me" });
    assert.equal(elements.list.children.at(-1).findByClass("message-sender").textContent,
        "Alice (sip:mallory@localhost)");
    assert.equal(first.findByClass("message-body").textContent, "<img src=x onerror=alert(1)>");
    view.clear();
    assert.equal(elements.list.children.length, 0);
    assert.equal(elements.empty.hidden, false);
});

test("each send shows its outcome: delivered, not delivered with status, not sent", async () => {
    const answers = [{ status: 200, reason: "OK" }, { status: 480, reason: "Temporarily Unavailable" },
        new Error("WebSocket closed")];
    const sent = [];
    const { elements } = messagesSetup(async (to, text) => {
        sent.push([to, text]);
        const answer = answers.shift();
        if (answer instanceof Error) throw answer;
        return answer;
    });
    for (const text of ["one", "two", "three"]) {
        elements.to.value = " bob ";
        elements.text.value = text;
        await submit(elements);
    }
    assert.deepEqual(sent, [["bob", "one"], ["bob", "two"], ["bob", "three"]]);
    const statuses = elements.results.children.map((item) => [item.dataset.state, item.findByClass("send-status")
        .textContent]);
    assert.deepEqual(statuses, [["delivered", "delivered"],
        ["failed", "not delivered: 480 Temporarily Unavailable"], ["failed", "not sent: WebSocket closed"]]);
    assert.equal(elements.text.value, "", "the text field empties after sending");
    assert.equal(elements.to.value, " bob ", "the recipient stays for the next message");
});

test("an incomplete form is not sent and says why", async () => {
    let sends = 0;
    const { elements } = messagesSetup(async () => { sends += 1; return { status: 200 }; });
    elements.to.value = "";
    elements.text.value = "hello";
    await submit(elements);
    assert.equal(sends, 0);
    assert.match(elements.formError.textContent, /who the message is for/);
    assert.equal(elements.to.ownerDocument.activeElement, elements.to);
});
