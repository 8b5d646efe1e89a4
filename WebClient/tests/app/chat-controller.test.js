import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";

import { MemberList, presenceView } from "../../js/app/member-list.js";
import {
    allByClass, byClass, ChatFakeDocument, click, findAll, isShown, press, settle, submit,
} from "./chat-fake-dom.js";
import {
    FakeChatApi, plainEvent, privateEvent, roomEvent, standardApi, startedChat, stored,
} from "./chat-fakes.js";

/** @returns {string[]} the data-key of every message element in a conversation's log */
function logKeys(view, key) {
    return view.panel(key).log.children.map((item) => item.dataset.key);
}

function tabOf(view, key) {
    return view.tab(key);
}

function badgeOf(view, key) {
    const badge = byClass(view.tab(key), "chat-tab-badge");
    return badge.hidden ? "" : badge.textContent;
}

function textarea(view, key) {
    return byClass(view.panel(key).element, "chat-text");
}

async function typeAndSend(view, key, text) {
    textarea(view, key).value = text;
    assert.ok(press(textarea(view, key), "Enter"), "Enter sends");
    await settle();
}

test("start: rooms then private chats as tabs, badges and total from GET /api/rooms, the first room read", async () => {
    const { api, chat, view, elements, totals } = await startedChat();
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "private:bob"]);
    assert.deepEqual(api.calls.slice(0, 4), [["rooms"], ["users"], ["roomHistory", "lobby", { limit: 5 }],
        ["markRoomRead", "lobby", 12]]);
    const lobbyTab = tabOf(view, "room:lobby");
    assert.equal(lobbyTab.getAttribute("role"), "tab");
    assert.equal(lobbyTab.getAttribute("aria-selected"), "true");
    assert.equal(lobbyTab.tabIndex, 0);
    assert.equal(tabOf(view, "room:dev").tabIndex, -1);
    assert.equal(lobbyTab.getAttribute("aria-controls"), view.panel("room:lobby").element.id);
    assert.equal(byClass(lobbyTab, "chat-tab-label").textContent, "Lobby");
    assert.equal(byClass(tabOf(view, "private:bob"), "chat-tab-label").textContent, "Bob", "directory name");
    assert.equal(isShown(view.panel("room:lobby").element), true);
    assert.equal(isShown(view.panel("room:dev").element), false);
    assert.deepEqual(logKeys(view, "room:lobby"), ["id:8", "id:9", "id:10", "id:11", "id:12"]);
    const last = view.panel("room:lobby").log.children.at(-1);
    assert.equal(last.dataset.id, "12");
    assert.equal(byClass(last, "chat-sender").textContent, "Bob");
    assert.equal(byClass(last, "chat-sender").title, "sip:bob@localhost");
    assert.equal(byClass(last, "chat-body").textContent, "message 12");
    // The lobby was read on opening: its badge went, bob's stays.
    assert.equal(badgeOf(view, "room:lobby"), "");
    assert.equal(badgeOf(view, "private:bob"), "1");
    assert.deepEqual(allByClass(tabOf(view, "private:bob"), "visually-hidden").map((span) => span.textContent),
        ["Private chat: ", ", 1 unread"], "a screen reader hears what the tab is and its count");
    assert.equal(chat.totalUnread, 1);
    assert.equal(elements.total.hidden, false);
    assert.equal(elements.total.textContent, "1 unread");
    assert.deepEqual(totals, [4, 1]);
    assert.equal(chat.state, "ready");
    assert.equal(elements.empty.hidden, true);
    assert.deepEqual(elements.joinSelect.children.map((option) => [option.value, option.textContent]),
        [["random", "Random (random)"]]);
    assert.deepEqual(elements.userList.children.map((option) => option.value), ["bob", "carol"]);
});

test("infinite scroll: the top loads the older page, the same messages stay in view; the start is said", async () => {
    const api = standardApi();
    api.history["room:lobby"] = Array.from({ length: 25 }, (_, index) => stored(index + 1, "bob"));
    const { view } = await startedChat({ api, pageSize: 10 });
    const panel = view.panel("room:lobby");
    const log = panel.log;
    assert.deepEqual(logKeys(view, "room:lobby").slice(0, 2), ["id:16", "id:17"]);
    assert.equal(log.scrollTop, 100, "opened at the bottom (10 rows of 20 px, 100 px shown)");
    const older = byClass(panel.element, "chat-older");
    assert.equal(older.hidden, false, "a button does the same for keyboard users");
    log.scrollByUser(10);
    await settle();
    assert.deepEqual(api.callsOf("roomHistory").at(-1), ["lobby", { before: 16, limit: 10 }]);
    assert.equal(log.children.length, 20);
    assert.deepEqual(logKeys(view, "room:lobby").slice(0, 2), ["id:6", "id:7"]);
    assert.equal(log.scrollTop, 210, "10 rows (200 px) went above: the same messages stay in view");
    log.scrollByUser(0);
    await settle();
    assert.deepEqual(api.callsOf("roomHistory").at(-1), ["lobby", { before: 6, limit: 10 }]);
    assert.equal(log.children.length, 25);
    assert.equal(byClass(panel.element, "chat-history-status").textContent, "This is the start of the conversation.");
    assert.equal(older.hidden, true);
    const requests = api.callsOf("roomHistory").length;
    log.scrollByUser(0);
    await settle();
    assert.equal(api.callsOf("roomHistory").length, requests, "no request past the start");
});

test("live messages: de-duplicated against the history by id, appended, followed and marked read", async () => {
    const { api, chat, view, elements } = await startedChat({ pageSize: 10 });
    assert.equal(chat.receive(roomEvent("lobby", "bob", 12, "message 12")), "room");
    assert.equal(view.panel("room:lobby").log.children.length, 10, "id 12 was in the history already");
    chat.receive(roomEvent("lobby", "carol", 13, "<img src=x onerror=alert(1)>"));
    await settle();
    const log = view.panel("room:lobby").log;
    assert.deepEqual(logKeys(view, "room:lobby").slice(-2), ["id:12", "id:13"]);
    assert.equal(byClass(log.children.at(-1), "chat-body").textContent, "<img src=x onerror=alert(1)>");
    assert.ok(view.panel("room:lobby").isAtBottom());
    assert.deepEqual(api.callsOf("markRoomRead").at(-1), ["lobby", 13]);
    assert.equal(elements.announcer.textContent, "Carol: <img src=x onerror=alert(1)>");
    assert.equal(badgeOf(view, "room:lobby"), "");

    // Scrolled up to read: a new message counts as unread until the bottom is reached again.
    log.scrollByUser(50);
    chat.receive(roomEvent("lobby", "bob", 14, "while away"));
    await settle();
    assert.equal(badgeOf(view, "room:lobby"), "1");
    assert.equal(chat.totalUnread, 2);
    assert.equal(log.scrollTop, 50, "the view is not pulled down");
    assert.deepEqual(api.callsOf("markRoomRead").at(-1), ["lobby", 13]);
    log.scrollByUser(log.scrollHeight);
    await settle();
    assert.deepEqual(api.callsOf("markRoomRead").at(-1), ["lobby", 14]);
    assert.equal(badgeOf(view, "room:lobby"), "");
    assert.equal(chat.totalUnread, 1);
});

test("a message in a hidden tab counts there and in the total; opening it loads, shows once and reads", async () => {
    const { api, chat, view, page, elements, totals } = await startedChat();
    api.history["room:dev"].push(stored(21, "bob", "ship it"));
    chat.receive(roomEvent("dev", "bob", 21, "ship it"));
    await settle();
    assert.equal(badgeOf(view, "room:dev"), "1");
    assert.equal(chat.totalUnread, 2);
    assert.equal(elements.total.textContent, "2 unread");
    assert.equal(elements.announcer.textContent, "New message from Bob in dev");
    assert.equal(api.callsOf("roomHistory").filter(([name]) => name === "dev").length, 0, "loaded when opened");
    click(tabOf(view, "room:dev"));
    await settle();
    assert.deepEqual(logKeys(view, "room:dev"), ["id:20", "id:21"]);
    assert.deepEqual(api.callsOf("markRoomRead").at(-1), ["dev", 21]);
    assert.equal(badgeOf(view, "room:dev"), "");
    assert.equal(chat.totalUnread, 1);

    // The page is hidden (another browser tab): even the shown conversation counts, until the page shows again.
    page.visible = false;
    chat.receive(roomEvent("dev", "bob", 22, "are you there?"));
    await settle();
    assert.equal(badgeOf(view, "room:dev"), "1");
    page.visible = true;
    chat.pageVisibilityChanged();
    await settle();
    assert.equal(badgeOf(view, "room:dev"), "");
    assert.deepEqual(api.callsOf("markRoomRead").at(-1), ["dev", 22]);
    assert.deepEqual(totals.slice(-2), [2, 1]);
});

test("keyboard: arrows move between tabs (wrapping), Home and End; the focused tab is selected", async () => {
    const { chat, view, document } = await startedChat();
    press(tabOf(view, "room:lobby"), "ArrowRight");
    assert.equal(chat.selectedKey, "room:dev");
    assert.equal(document.activeElement, tabOf(view, "room:dev"));
    assert.equal(tabOf(view, "room:dev").tabIndex, 0);
    assert.equal(tabOf(view, "room:lobby").tabIndex, -1);
    press(tabOf(view, "room:dev"), "End");
    assert.equal(chat.selectedKey, "private:bob");
    press(tabOf(view, "private:bob"), "ArrowRight");
    assert.equal(chat.selectedKey, "room:lobby", "wraps to the first");
    press(tabOf(view, "room:lobby"), "ArrowLeft");
    assert.equal(chat.selectedKey, "private:bob", "wraps to the last");
    press(tabOf(view, "private:bob"), "Home");
    assert.equal(chat.selectedKey, "room:lobby");
    assert.equal(press(tabOf(view, "room:lobby"), "a"), false, "other keys are left alone");
    await settle();
});

test("buddy menu: Chat opens a private tab with /api/private history; Call dials; ARIA menu keys", async () => {
    const { api, chat, view, dialed, document } = await startedChat();
    const members = view.panel("room:lobby").members;
    assert.deepEqual(members.members, ["alice", "bob", "carol"], "you first, then by name");
    const panel = view.panel("room:lobby").element;
    const self = findAll(panel, (element) => element.dataset?.user === "alice")[0];
    assert.equal(self.dataset.self, "true");
    assert.equal(byClass(self, "member-name").textContent, "Alice (you)");
    assert.equal(byClass(self, "member-button"), null, "no menu for yourself");

    const carolButton = findAll(panel, (element) => element.id === "chat-room-lobby-member-carol")[0];
    assert.equal(carolButton.getAttribute("aria-haspopup"), "menu");
    click(carolButton);
    assert.equal(carolButton.getAttribute("aria-expanded"), "true");
    const menu = findAll(panel, (element) => element.id === carolButton.getAttribute("aria-controls"))[0];
    assert.equal(menu.hidden, false);
    assert.equal(menu.getAttribute("role"), "menu");
    const [chatItem, callItem] = allByClass(menu, "buddy-menu-item");
    assert.equal(document.activeElement, chatItem);
    assert.equal(chatItem.textContent, "Chat with Carol");
    press(chatItem, "ArrowDown");
    assert.equal(document.activeElement, callItem);
    press(callItem, "ArrowDown");
    assert.equal(document.activeElement, chatItem, "wraps");
    press(chatItem, "Escape");
    assert.equal(menu.hidden, true);
    assert.equal(document.activeElement, carolButton, "focus goes back to the member");
    press(carolButton, "ArrowUp");
    assert.equal(document.activeElement, callItem, "ArrowUp opens on the last item");
    click(callItem);
    assert.deepEqual(dialed, ["carol"]);
    assert.equal(menu.hidden, true);

    click(carolButton);
    click(allByClass(menu, "buddy-menu-item")[0]);
    await settle();
    assert.equal(chat.selectedKey, "private:carol");
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "private:bob", "private:carol"]);
    assert.deepEqual(api.callsOf("privateHistory").at(-1), ["carol", { limit: 5 }]);
    assert.equal(document.activeElement, textarea(view, "private:carol"), "ready to type");
    assert.equal(byClass(view.panel("private:carol").element, "chat-title").textContent, "Chat with Carol");
    assert.equal(byClass(view.panel("private:carol").element, "chat-history-status").textContent,
        "No messages yet. Say hello!");
    click(byClass(view.panel("private:carol").element, "chat-call"));
    assert.deepEqual(dialed, ["carol", "carol"]);
    click(byClass(view.panel("private:carol").element, "chat-close"));
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "private:bob"]);
    assert.equal(chat.selectedKey, "private:bob", "the neighbour tab is shown");
    await settle();
    assert.deepEqual(api.callsOf("privateHistory").at(-1), ["bob", { limit: 5 }]);
    assert.deepEqual(api.callsOf("markPrivateRead").at(-1), ["bob", 30]);
    assert.equal(chat.totalUnread, 0);
});

test("compose: MESSAGE to the room URI, shown at once, then its stored id; commands; bad input", async () => {
    const api = standardApi();
    const { chat, view, sent } = await startedChat({
        api,
        answer: (uri, text) => {
            if (text === "hello all") api.history["room:lobby"].push(stored(13, "alice", "hello all"));
            return { status: 200, reason: "OK" };
        },
    });
    await typeAndSend(view, "room:lobby", "hello all");
    assert.deepEqual(sent, [["sip:lobby@localhost", "hello all"]]);
    assert.equal(textarea(view, "room:lobby").value, "", "the box empties");
    assert.deepEqual(logKeys(view, "room:lobby").slice(-1), ["id:13"], "the stored copy took the echo's place");
    const mine = view.panel("room:lobby").log.children.at(-1);
    assert.equal(mine.dataset.own, "true");
    assert.equal(byClass(mine, "chat-sender").textContent, "You");
    assert.deepEqual(api.callsOf("roomHistory").at(-1), ["lobby", { after: 12, limit: 5 }]);
    assert.equal(chat.conversation("room:lobby").messages.filter((message) => message.body === "hello all").length, 1);

    const problem = byClass(view.panel("room:lobby").element, "chat-compose-error");
    await typeAndSend(view, "room:lobby", "   ");
    assert.equal(problem.textContent, "Write a message first.");
    await typeAndSend(view, "room:lobby", "x".repeat(8193));
    assert.match(problem.textContent, /too long/);
    assert.equal(sent.length, 1);
    assert.equal(press(textarea(view, "room:lobby"), "Enter", { shiftKey: true }), false, "Shift+Enter: new line");

    await typeAndSend(view, "room:lobby", "/leave");
    assert.deepEqual(sent.at(-1), ["sip:lobby@localhost", "/leave"]);
    assert.equal(chat.conversation("room:lobby").messages.some((message) => message.body === "/leave"), false,
        "a command is not shown as a message");
    assert.equal(api.callsOf("rooms").length, 2, "the room list is reloaded after a command");
});

test("private sends: 480 and transport failures say why, 202 says stored; each shows its state", async () => {
    const answers = [{ status: 480, reason: "Temporarily Unavailable (bob does not want to be disturbed)" },
        { status: 202, reason: "Accepted" }, new Error("not connected")];
    const { chat, view, sent } = await startedChat({ answer: () => answers.shift() });
    chat.openPrivate("bob");
    await settle();
    for (const text of ["one", "two", "three"]) await typeAndSend(view, "private:bob", text);
    assert.deepEqual(sent.map(([uri]) => uri), ["sip:bob@localhost", "sip:bob@localhost", "sip:bob@localhost"]);
    const states = view.panel("private:bob").log.children.filter((item) => item.dataset.own === "true")
        .map((item) => [item.dataset.delivery, byClass(item, "chat-delivery").textContent]);
    assert.deepEqual(states, [
        ["failed", "not delivered: 480 Temporarily Unavailable (bob does not want to be disturbed)"],
        ["stored", "stored: Bob gets it when back online"],
        ["failed", "not sent: not connected"],
    ]);
});

test("private messages: CPIM or plain text open tabs with badges; a plain one gets its stored id", async () => {
    const api = standardApi();
    const { chat, view } = await startedChat({ api });
    api.privateUnread.carol = 1; // Parley stored (and counts) carol's message before delivering it
    assert.equal(chat.receive(privateEvent("carol", 50, "hi Alice")), "private");
    assert.equal(chat.receive(plainEvent("sip:dave@localhost", "from my desk phone")), "private");
    await settle();
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "private:bob", "private:carol", "private:dave"]);
    assert.equal(badgeOf(view, "private:carol"), "1");
    assert.equal(badgeOf(view, "private:dave"), "1");
    assert.equal(chat.totalUnread, 3);
    assert.equal(chat.selectedKey, "room:lobby", "arrivals do not take the focus");
    assert.equal(chat.receive(plainEvent("sip:eve@example.org", "spam")), null, "another domain is not a chat");

    // A copy of our own message from another device: in the chat, not unread.
    chat.receive(privateEvent("alice", 31, "sent from my phone", { to: "bob" }));
    assert.equal(badgeOf(view, "private:bob"), "1");

    // Plain text in an open conversation: shown at once, then replaced by the stored copy.
    chat.select("private:bob");
    await settle();
    assert.equal(badgeOf(view, "private:bob"), "");
    api.history["private:bob"].push(stored(32, "bob", "plain hello"));
    chat.receive(plainEvent("sip:bob@localhost", "plain hello"));
    await settle();
    assert.deepEqual(logKeys(view, "private:bob"), ["id:30", "id:31", "id:32"]);
    assert.deepEqual(api.callsOf("markPrivateRead").at(-1), ["bob", 32]);
});

test("room notices go to the room and the status line, and reload the room list", async () => {
    const { api, chat, view, elements } = await startedChat();
    assert.equal(chat.receive(plainEvent("sip:lobby@localhost", "Welcome back.")), "notice");
    await settle();
    assert.equal(elements.status.textContent, "Welcome back.");
    const notice = view.panel("room:lobby").log.children.at(-1);
    assert.equal(notice.className, "chat-message chat-notice");
    assert.equal(byClass(notice, "chat-body").textContent, "Welcome back.");
    assert.equal(api.callsOf("rooms").length, 2);
    // A room this page did not know: a new tab, its details from the API.
    api.roomList.push({ name: "games", displayName: "Games", uri: "sip:games@localhost", members: ["alice"],
        unread: 1 });
    chat.receive(roomEvent("games", "bob", 60, "gg"));
    await settle();
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "room:games", "private:bob"],
        "rooms stay before private chats");
    assert.equal(byClass(tabOf(view, "room:games"), "chat-tab-label").textContent, "Games");
    assert.equal(badgeOf(view, "room:games"), "1", "the server's count replaces the live one");
});

test("join from the available rooms, leave the current room", async () => {
    const { api, chat, view, elements, document } = await startedChat();
    assert.equal(elements.joinForm.hidden, false);
    elements.joinSelect.value = "random";
    submit(elements.joinForm);
    await settle();
    assert.deepEqual(api.callsOf("joinRoom"), [["random"]]);
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "room:random", "private:bob"]);
    assert.equal(chat.selectedKey, "room:random");
    assert.equal(document.activeElement, tabOf(view, "room:random"));
    assert.deepEqual(logKeys(view, "room:random"), ["id:40"]);
    assert.equal(elements.joinForm.hidden, true, "nothing left to join");

    chat.select("room:lobby", { focus: true });
    click(byClass(view.panel("room:lobby").element, "chat-leave"));
    await settle();
    assert.deepEqual(api.callsOf("leaveRoom"), [["lobby"]]);
    assert.deepEqual(view.tabKeys, ["room:dev", "room:random", "private:bob"]);
    assert.equal(chat.selectedKey, "room:dev");
    assert.equal(document.activeElement, tabOf(view, "room:dev"));
    assert.deepEqual(elements.joinSelect.children.map((option) => option.value), ["lobby"]);
    assert.equal(elements.joinForm.hidden, false);

    api.failures.joinRoom = Object.assign(new Error("no room lobby"), { name: "ApiError" });
    submit(elements.joinForm);
    await settle();
    assert.equal(elements.error.textContent, "Could not join lobby: no room lobby");
});

test("the Chat with form opens a private chat and refuses names that are not users", async () => {
    const { chat, view, elements } = await startedChat();
    elements.openUser.value = "bad name";
    submit(elements.openForm);
    assert.match(elements.error.textContent, /Enter a user name/);
    elements.openUser.value = "alice";
    submit(elements.openForm);
    assert.match(elements.error.textContent, /That is you/);
    elements.openUser.value = "random";
    submit(elements.openForm);
    assert.match(elements.error.textContent, /random is a room: join it/);
    elements.openUser.value = " carol ";
    submit(elements.openForm);
    await settle();
    assert.equal(elements.error.textContent, "");
    assert.equal(elements.openUser.value, "");
    assert.equal(chat.selectedKey, "private:carol");
    assert.equal(view.tabKeys.at(-1), "private:carol");
});

test("setPresence: a dot and a label per member in every room and in the private chat", async () => {
    const { chat, view } = await startedChat();
    chat.setPresence("bob", { state: "away", note: "back at 3" });
    for (const key of ["room:lobby", "room:dev"]) {
        assert.deepEqual(view.panel(key).members.presenceOf("bob"),
            { state: "away", label: "Away: back at 3", note: "back at 3" }, key);
    }
    const bobEntry = findAll(view.panel("room:lobby").element, (element) => element.dataset?.user === "bob")[0];
    assert.equal(byClass(bobEntry, "presence-dot").dataset.state, "away");
    assert.equal(byClass(bobEntry, "presence-dot").getAttribute("aria-hidden"), "true");
    assert.equal(byClass(bobEntry, "member-presence").textContent, "Away: back at 3");
    const privatePanel = view.panel("private:bob").element;
    assert.equal(byClass(privatePanel, "presence-dot").dataset.state, "away");
    assert.equal(byClass(privatePanel, "chat-peer-presence").textContent, "Away: back at 3");

    chat.setPresence("sip:carol@localhost", { state: "on-the-phone" });
    assert.equal(view.panel("room:lobby").members.presenceOf("carol").label, "On the phone");
    chat.setPresence("carol", { state: "teleporting" });
    const carol = view.panel("room:lobby").members.presenceOf("carol");
    assert.equal(carol.state, "unknown");
    assert.equal(carol.label, "");
    // Known before the private chat exists: shown when it opens.
    chat.setPresence("dave", { state: "dnd" });
    chat.openPrivate("dave");
    assert.equal(byClass(view.panel("private:dave").element, "chat-peer-presence").textContent, "Do not disturb");
    assert.deepEqual(chat.snapshot().presence.dave, { state: "dnd", note: "" });
    chat.setPresence("not a name", { state: "busy" });
    assert.equal(chat.snapshot().presence["not a name"], undefined);
    await settle();
});

test("MemberList on its own: setPresence before and after setMembers, every state, notes cut", () => {
    const list = new MemberList({ document: new ChatFakeDocument(), idBase: "t", self: "alice", roomLabel: "Lobby" },
        { chat() {}, call() {} });
    list.setPresence("bob", { state: "busy", note: null });
    list.setMembers([{ name: "bob", label: "Bob" }, { name: "alice", label: "Alice" }]);
    assert.equal(list.presenceOf("bob").label, "Busy");
    const expected = { "available": "Available", "away": "Away", "busy": "Busy", "dnd": "Do not disturb",
        "on-the-phone": "On the phone", "offline": "Offline" };
    for (const [state, label] of Object.entries(expected)) {
        list.setPresence("alice", { state });
        assert.deepEqual(list.presenceOf("alice"), { state, label, note: "" });
    }
    assert.equal(list.presenceOf("nobody"), null);
    assert.equal(presenceView({ state: "away", note: `  ${"n".repeat(150)} ` }).note.length, 101);
    assert.equal(presenceView(null).state, "unknown");
    assert.equal(list.element.children[0].textContent, "Members (2)");
    assert.equal(list.openMenu("alice"), false, "no menu for yourself");
});

test("rooms that cannot load: a status with Try again; history that cannot load: its own Try again", async () => {
    const api = standardApi();
    api.failures.rooms = new Error("history is unavailable, try again later");
    const { chat, view, elements } = await startedChat({ api });
    assert.equal(chat.state, "failed");
    assert.match(elements.status.textContent, /Could not load your conversations: history is unavailable/);
    assert.equal(elements.retry.hidden, false);
    assert.equal(elements.empty.hidden, false);
    delete api.failures.rooms;
    api.failures.roomHistory = new Error("Cannot reach the Parley server.");
    click(elements.retry);
    await settle();
    assert.equal(chat.state, "ready");
    assert.equal(elements.retry.hidden, true);
    const panel = view.panel("room:lobby").element;
    assert.match(byClass(panel, "chat-history-status").textContent, /Could not load the messages: Cannot reach/);
    const retry = byClass(panel, "chat-retry");
    assert.equal(retry.hidden, false);
    delete api.failures.roomHistory;
    click(retry);
    await settle();
    assert.equal(view.panel("room:lobby").log.children.length, 5);
    assert.equal(retry.hidden, true);
});

test("stop forgets everything; a new start takes the counts from the server again (reload)", async () => {
    const { api, chat, view, elements } = await startedChat();
    chat.stop();
    assert.deepEqual(view.tabKeys, []);
    assert.equal(elements.total.hidden, true);
    assert.equal(chat.state, "stopped");
    assert.equal(chat.receive(roomEvent("lobby", "bob", 99, "late")), null);
    api.roomList[1].unread = 7;
    api.privateUnread = { bob: 2, carol: 1 };
    await chat.start({ user: "alice", domain: "localhost", aor: "sip:alice@localhost" });
    await settle();
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "private:bob", "private:carol"]);
    assert.equal(badgeOf(view, "room:dev"), "7");
    assert.equal(chat.totalUnread, 10);
    assert.equal(elements.total.textContent, "10 unread");
    assert.equal(chat.snapshot().conversations[1].unread, 7);
});

test("after a reconnection the open conversations catch up and the counts are reloaded", async () => {
    const { api, chat, view } = await startedChat();
    api.history["room:lobby"].push(stored(13, "bob", "missed while offline"));
    await chat.connectionRestored();
    await settle();
    assert.deepEqual(api.callsOf("roomHistory").at(-1), ["lobby", { after: 12, limit: 5 }]);
    assert.deepEqual(logKeys(view, "room:lobby").slice(-1), ["id:13"]);
    assert.equal(api.callsOf("rooms").length, 2);
});

test("the chat modules write remote text with textContent only", async () => {
    const directory = new URL("../../js/app/", import.meta.url);
    const names = (await readdir(directory)).filter((name) => /^(chat|conversation|member)-.*\.js$/.test(name));
    assert.ok(names.length >= 5);
    for (const name of names) {
        const source = await readFile(new URL(name, directory), "utf8");
        assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, name);
    }
});

test("FakeChatApi pages like the server (sanity of the test double)", async () => {
    const api = new FakeChatApi({ history: { "room:x": [3, 1, 2].map((id) => stored(id, "bob")) } });
    assert.deepEqual((await api.roomHistory("x", { limit: 2 })).map((message) => message.id), [2, 3]);
    assert.deepEqual((await api.roomHistory("x", { before: 3, limit: 1 })).map((message) => message.id), [2]);
    assert.deepEqual((await api.roomHistory("x", { after: 1, limit: 5 })).map((message) => message.id), [2, 3]);
});

test("a forged envelope from a user is that user's plain text: no tab for the claimed sender, no id", async () => {
    const { chat, view } = await startedChat();
    const forged = privateEvent("bob", 99, "send me your password");
    forged.cpim = { ...forged.cpim, from: "sip:carol@localhost" };
    assert.equal(chat.receive(forged), "private");
    await settle();
    assert.equal(view.tab("private:carol"), null);
    const message = chat.conversation("private:bob").messages.find((entry) => entry.body === "send me your password");
    assert.deepEqual([message.sender, message.id, message.from], ["bob", null, "sip:bob@localhost"]);
    assert.equal(chat.conversation("private:bob").hasId(99), false);
});

test("registration: a failed room list is loaded again; a first page on its way is caught up after it", async () => {
    const api = standardApi();
    api.failures.rooms = new Error("Cannot reach the Parley server.");
    const { chat, view } = await startedChat({ api });
    assert.equal(chat.state, "failed");
    delete api.failures.rooms;
    await chat.connectionRestored();
    await settle();
    assert.equal(chat.state, "ready");
    assert.deepEqual(view.tabKeys, ["room:lobby", "room:dev", "private:bob"]);

    // The first registration comes while dev's first page is on its way (read before the registration).
    let release;
    const gate = new Promise((resolve) => {
        release = resolve;
    });
    const roomHistory = api.roomHistory.bind(api);
    api.roomHistory = async (name, cursor) => {
        const page = await roomHistory(name, cursor);
        if (name === "dev" && cursor.after === undefined) await gate;
        return page;
    };
    chat.select("room:dev");
    await settle();
    const restored = chat.connectionRestored();
    api.history["room:dev"].push(stored(21, "bob", "sent before the registration"));
    release();
    await restored;
    await settle();
    assert.deepEqual(api.callsOf("roomHistory").at(-1), ["dev", { after: 20, limit: 5 }]);
    assert.deepEqual(logKeys(view, "room:dev"), ["id:20", "id:21"]);
});

test("read markers: a POST that failed is sent again on the next scroll or visibility change", async () => {
    const { api, chat, view, page } = await startedChat({ pageSize: 10 });
    assert.deepEqual(api.callsOf("markRoomRead"), [["lobby", 12]]);
    assert.equal(chat.conversation("room:lobby").readAcked, 12);
    api.failures.markRoomRead = new Error("Cannot reach the Parley server.");
    chat.receive(roomEvent("lobby", "bob", 13, "read me"));
    await settle();
    assert.deepEqual(api.callsOf("markRoomRead").at(-1), ["lobby", 13]);
    const conversation = chat.conversation("room:lobby");
    assert.deepEqual([conversation.readUpTo, conversation.readAcked], [13, 12], "shown as read, not yet saved");
    delete api.failures.markRoomRead;
    const log = view.panel("room:lobby").log;
    log.scrollByUser(log.scrollHeight);
    await settle();
    assert.equal(api.callsOf("markRoomRead").length, 3, "sent again");
    assert.equal(conversation.readAcked, 13);
    log.scrollByUser(log.scrollHeight);
    await settle();
    assert.equal(api.callsOf("markRoomRead").length, 3, "nothing more once saved");

    api.failures.markRoomRead = new Error("503");
    chat.receive(roomEvent("lobby", "carol", 14, "and me"));
    await settle();
    delete api.failures.markRoomRead;
    page.visible = false;
    chat.pageVisibilityChanged();
    page.visible = true;
    chat.pageVisibilityChanged();
    await settle();
    assert.deepEqual(api.callsOf("markRoomRead").at(-1), ["lobby", 14]);
    assert.equal(conversation.readAcked, 14);
});

test("plain text from a name not known yet: the room list is read first; a room's notice is the room's", async () => {
    const { api, chat, view, elements } = await startedChat();
    api.roomList.push({ name: "games", displayName: "Games", uri: "sip:games@localhost", members: ["alice"],
        unread: 0 });
    chat.receive(plainEvent("sip:games@localhost", "You joined games."));
    await settle();
    assert.equal(view.tab("private:games"), null, "not a private chat with a user called games");
    assert.ok(view.tab("room:games"));
    assert.equal(elements.status.textContent, "You joined games.");
    assert.equal(chat.totalUnread, 1, "a notice is not an unread message");

    // A private chat opened for a name that turns out to be a room closes when the room list says so.
    chat.openPrivate("quiz");
    assert.ok(view.tab("private:quiz"));
    api.available.push({ name: "quiz", displayName: "Quiz", uri: "sip:quiz@localhost" });
    await chat.refreshRooms();
    assert.equal(view.tab("private:quiz"), null);
    assert.equal(chat.isKnownRoom("quiz"), true);
});

test("member lists: the same members leave an open buddy menu and the focus alone; new ones slot in", async () => {
    const { api, chat, view, document } = await startedChat();
    const members = view.panel("room:lobby").members;
    const panel = view.panel("room:lobby").element;
    const bobButton = findAll(panel, (element) => element.id === "chat-room-lobby-member-bob")[0];
    click(bobButton);
    const focused = document.activeElement;
    assert.equal(members.openMenuUser, "bob");
    await chat.refreshRooms();
    assert.equal(members.openMenuUser, "bob", "the room list came again, the menu stays open");
    assert.equal(document.activeElement, focused);
    assert.equal(findAll(panel, (element) => element.id === "chat-room-lobby-member-bob")[0], bobButton);

    api.roomList[0].members = ["alice", "bob", "carol", "aaron"];
    await chat.refreshRooms();
    assert.deepEqual(members.members, ["alice", "bob", "carol", "aaron"]);
    const items = members.element.children[1].children.map((item) => item.dataset.user);
    assert.deepEqual(items, ["alice", "aaron", "bob", "carol"], "you first, then by name");
    assert.equal(members.openMenuUser, "bob");
    assert.equal(document.activeElement, focused);
    assert.equal(members.element.children[0].textContent, "Members (4)");

    api.roomList[0].members = ["alice", "carol"];
    await chat.refreshRooms();
    assert.equal(members.openMenuUser, null, "bob left: his menu went with him");
    assert.deepEqual(members.element.children[1].children.map((item) => item.dataset.user), ["alice", "carol"]);
});

test("the room chosen in Join stays chosen while it is still offered", async () => {
    const api = standardApi();
    api.available.push({ name: "quiz", displayName: null, uri: "sip:quiz@localhost" });
    const { chat, elements } = await startedChat({ api });
    elements.joinSelect.value = "quiz";
    await chat.refreshRooms();
    assert.equal(elements.joinSelect.value, "quiz");
    api.available = api.available.filter((room) => room.name !== "quiz");
    await chat.refreshRooms();
    assert.equal(elements.joinSelect.value, "random");
});

test("closing the last conversation puts the focus on the chat heading", async () => {
    const api = new FakeChatApi({ privateUnread: { bob: 1 }, history: { "private:bob": [stored(30, "bob", "psst")] } });
    const { chat, view, elements, document } = await startedChat({ api });
    assert.deepEqual(view.tabKeys, ["private:bob"]);
    click(byClass(view.panel("private:bob").element, "chat-close"));
    assert.deepEqual(view.tabKeys, []);
    assert.equal(document.activeElement, elements.title);
    assert.equal(chat.selectedKey, null);
    await settle();
});

test("the same announcement twice is read out twice: emptied, then written on the next tick", async () => {
    const { view, elements } = await startedChat();
    view.announce("New message from Bob");
    await settle();
    assert.equal(elements.announcer.textContent, "New message from Bob");
    view.announce("New message from Bob");
    assert.equal(elements.announcer.textContent, "", "emptied first, so the same text is a change");
    await settle();
    assert.equal(elements.announcer.textContent, "New message from Bob");
    view.announce("first");
    view.announce("second");
    await settle();
    assert.equal(elements.announcer.textContent, "second", "only the latest is written");
});
