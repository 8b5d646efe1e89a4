"""Chat and presence scenarios: rooms (RFC 3428 MESSAGE to sip:ROOM@localhost), unread counts, and presence
(RFC 3903 PUBLISH, RFC 3856 SUBSCRIBE, RFC 4662 buddy list) between the page and a baresip device.

Each scenario runs its own Parley (own data, rooms and ports): rooms, unread markers and presence
publications would otherwise leak between scenarios of the shared server.
"""

import re
import time

from selenium.webdriver.support.ui import Select

from scenarios import signed_in_browser
from waiting import ScenarioFailure, check, wait_until

ROOM_URI = "sip:{room}@localhost"
ALICE_URI = "sip:alice@localhost"
DEVICE = ("bob", "bob-desk", "desk-secret")  # bob's SIP device account (add_users in scenarios.py)
ALICE_LABEL = "Alice"  # alice's display name (add_users): a plain device reads room messages as "Alice: text"
UNREAD_MESSAGES = 3
PRESENCE_NOTE = "in a meeting"

# Every li.chat-message of a conversation log as plain data, in one round trip.
CHAT_LOG_JS = r"""
const log = document.getElementById(arguments[0]);
if (!log) return null;
return [...log.querySelectorAll("li.chat-message")].map((item) => ({
    id: item.dataset.id ?? null, sender: item.dataset.sender ?? null, own: item.dataset.own === "true",
    delivery: item.dataset.delivery ?? null, notice: item.classList.contains("chat-notice"),
    body: item.querySelector(".chat-body")?.firstChild?.textContent ?? "",
    senderLabel: item.querySelector(".chat-sender")?.textContent ?? "",
}));
"""

# GET /api/rooms from the page (same origin, its session cookie): what the server keeps for this user.
API_ROOMS_JS = r"""
const done = arguments[arguments.length - 1];
fetch("/api/rooms", {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then(async (response) => done({status: response.status, body: await response.json()}))
    .catch((error) => done({status: 0, error: String(error)}));
"""


def chat_server(scenario, name, rooms):
    """A Parley of the scenario's own with the usual users and `rooms` ([(room, [members])], created in order)."""
    server = scenario.own_server(name)
    for room, members in rooms:
        server.add_room(room, members)
    server.start()
    return server


def chat_log(browser, kind, name):
    return browser.driver.execute_script(CHAT_LOG_JS, f"chat-{kind}-{name}-log") or []


def wait_chat_message(browser, kind, name, body, timeout=10, own=None):
    """Waits until the conversation's log shows a message with this body (`own`: True/False/None = either)."""
    def shown():
        for message in chat_log(browser, kind, name):
            if message["body"] == body and not message["notice"] and (own is None or message["own"] == own):
                return message
        return None
    try:
        return wait_until(shown, timeout, f'li.chat-message "{body}" in #chat-{kind}-{name}-log')
    except ScenarioFailure as failure:
        bodies = [(message["sender"], message["body"]) for message in chat_log(browser, kind, name)]
        raise ScenarioFailure(f"{failure}; it shows {bodies}; #chat-status "
                              f"{browser.safe_text('#chat-status')!r}") from None


def room_unread(browser, room):
    """(the tab's data-unread, its badge text, #unread-total's data-count, its text) as the page shows them."""
    tab = f"#chat-room-{room}-tab"
    badge = browser.driver.execute_script(
        "const badge = document.querySelector(arguments[0] + ' .chat-tab-badge');"
        "return badge ? (badge.hidden ? '' : badge.textContent) : null;", tab)
    total = browser.element("#unread-total")
    return (browser.attribute(tab, "data-unread"), badge, total.get_attribute("data-count"),
            total.text if total.is_displayed() else "")


def wait_unread(browser, room, count, timeout, what):
    """The room's tab badge and #unread-total both show `count` (0: no badge, the total hidden)."""
    expected = (str(count), str(count) if count else "", str(count), f"{count} unread" if count else "")
    try:
        wait_until(lambda: room_unread(browser, room) == expected, timeout, what)
    except ScenarioFailure as failure:
        raise ScenarioFailure(f"{failure}; (data-unread, badge, total count, total text) is "
                              f"{room_unread(browser, room)}, expected {expected}") from None


def server_unread(browser, room):
    """The room's `unread` in GET /api/rooms, fetched by the page."""
    answer = browser.driver.execute_async_script(API_ROOMS_JS)
    check(answer.get("status") == 200, f"GET /api/rooms from the page answered {answer}")
    for entry in answer["body"].get("rooms", []):
        if entry.get("name") == room:
            return entry.get("unread")
    raise ScenarioFailure(f"GET /api/rooms does not list {room}: {answer['body']}")


def selected_tab(browser):
    return browser.driver.execute_script(
        "return document.querySelector('#chat-tabs [role=tab][aria-selected=true]')?.id ?? null")


def reload_and_restore(browser, timeout=20):
    """driver.refresh(); the page signs in again from its stored session and registers."""
    browser.driver.refresh()
    wait_until(lambda: browser.visible("#home-view"), timeout, "the home view after the reload (session restored)")
    browser.wait_registered(timeout)


def device_sends_room_message(scenario, server, room, text):
    """sipp as bob (bob-desk) sends MESSAGE `text` to sip:ROOM@localhost; it must get its 200 (stored)."""
    ok, summary, trace = scenario.send_message(server, text, to_user=room)
    check(ok, f"sipp MESSAGE to {ROOM_URI.format(room=room)} did not get its 200 ({summary}; trace {trace})")


def member_presence(browser, room, user):
    """(data-state, label text) of a member's presence in a room's member list."""
    css = f"#chat-room-{room}-member-{user} .member-presence"
    return browser.safe_attribute(css, "data-state"), browser.safe_text(css)


def wait_member_presence(browser, room, user, state, label, timeout, what):
    try:
        wait_until(lambda: member_presence(browser, room, user) == (state, label), timeout, what)
    except ScenarioFailure as failure:
        raise ScenarioFailure(f"{failure}; it shows {member_presence(browser, room, user)}, snapshot presence "
                              f"{browser.driver.execute_script('return window.parley.chat.snapshot().presence')}"
                              ) from None


def last_notify_from(device, uri, start):
    """The last NOTIFY request in baresip's SIP trace (after `start`) whose From is `uri`, or None."""
    blocks = re.findall(r"^NOTIFY sip:.*?(?=^\S*#\s*$|\Z)", device.log_text(start), re.MULTILINE | re.DOTALL)
    found = [block for block in blocks if re.search(r"^From:[^\n]*<%s>" % re.escape(uri), block, re.MULTILINE)]
    return found[-1] if found else None


def _sent_or_stored(browser, body):
    """alice's own message with `body` once answered 200 ("sent") or replaced by its stored copy; else None."""
    for message in chat_log(browser, "room", "lobby"):
        if message["own"] and message["body"] == body:
            check(message["delivery"] != "failed", f"alice's message shows delivery failed: {message}")
            if message["delivery"] == "sent" or (message["id"] or "").isdigit():
                return message
    return None


# ---- scenarios -------------------------------------------------------------------------------------------


def room_messages_both_ways(scenario):
    """bob's device (sipp) writes in lobby: the page shows it from bob; alice answers from the lobby tab: bob's
    other device (baresip) gets a text/plain MESSAGE from sip:lobby@localhost reading "Alice: ..."."""
    server = chat_server(scenario, "room-messages", [("lobby", ["alice", "bob"])])
    browser = signed_in_browser(scenario, server)
    browser.wait_visible("#chat-room-lobby-tab", 15, "the lobby tab")
    desk = scenario.baresip_console("bob-desk")
    desk.start(server, *DEVICE, presence=False)
    desk.wait_registered(15)

    device_sends_room_message(scenario, server, "lobby", "hello from the desk")
    shown = wait_chat_message(browser, "room", "lobby", "hello from the desk")
    check(shown["sender"] == "bob" and not shown["own"],
          f"the lobby shows the device's message with data-sender {shown['sender']!r}, own {shown['own']}")
    check(shown["id"] is not None and shown["id"].isdigit(),
          f"the device's message has data-id {shown['id']!r}: expected the stored id (CPIM imdn.Message-ID)")

    browser.click("#chat-room-lobby-tab")
    start = desk.mark()
    browser.fill("#chat-room-lobby-text", "hello from the web")
    browser.click("#chat-room-lobby-panel .chat-send")
    wait_chat_message(browser, "room", "lobby", "hello from the web", own=True)
    # After the 200 the echo shows data-delivery="sent"; the catch-up that follows replaces it with the stored
    # copy (data-id, no delivery state). Either proves the 200; "failed" echoes are never replaced.
    own = wait_until(lambda: _sent_or_stored(browser, "hello from the web"), 10,
                     'alice\'s message to show data-delivery="sent" or its stored data-id')
    expected = f'{ALICE_LABEL}: hello from the web'
    received = desk.wait_log(r'(sip:lobby@localhost): "(%s)"' % re.escape(expected), 10, start)
    if not received:
        heard = re.findall(r'^(sip:\S+): "(.*)"$', desk.log_text(start), re.MULTILINE)
        raise ScenarioFailure(f'baresip (bob-desk) did not get "{expected}" from sip:lobby@localhost within 10 s; '
                              f"it logged the MESSAGEs {heard} (log {desk.log_path()})")
    requests = re.findall(r"^MESSAGE sip:.*?(?=^\S*#\s*$|\Z)", desk.log_text(start), re.MULTILINE | re.DOTALL)
    request = next((text for text in requests if expected in text), "")
    check(re.search(r"^From:[^\n]*<sip:lobby@localhost>", request, re.MULTILINE) and
          re.search(r"^Content-Type:\s*text/plain", request, re.MULTILINE | re.IGNORECASE),
          f"the MESSAGE baresip got is not text/plain from sip:lobby@localhost: {request[:400]!r}")
    echoed = desk.wait_log(r'sip:lobby@localhost: "bob: hello from the desk"', 0)
    how = f"stored as id {own['id']}" if own["id"] else own["delivery"]
    scenario.note(f"page showed bob's message (id {shown['id']}); alice's was {how}; "
                  f"baresip logged {received.group(0)!r}; bob's own first message "
                  f"{'also reached' if echoed else 'did not reach'} his other device")


def unread_counts_survive_reload(scenario):
    """3 room messages while alice looks at another room: badge and total 3, still 3 after a reload (the
    server's counts); opening the room clears them, and they stay 0 after another reload."""
    # "announcements" is first (alphabetically and by creation): it is the tab selected after sign-in.
    server = chat_server(scenario, "unread", [("announcements", ["alice", "bob"]), ("lobby", ["alice", "bob"])])
    browser = signed_in_browser(scenario, server)
    browser.wait_visible("#chat-room-lobby-tab", 15, "the lobby tab")
    wait_until(lambda: selected_tab(browser) == "chat-room-announcements-tab", 10,
               "the announcements tab to be selected after sign-in")
    wait_unread(browser, "lobby", 0, 5, "no unread messages before the device writes")

    for number in range(1, UNREAD_MESSAGES + 1):
        device_sends_room_message(scenario, server, "lobby", f"unread message {number}")
    wait_unread(browser, "lobby", UNREAD_MESSAGES, 10, f"lobby's badge and #unread-total to show {UNREAD_MESSAGES}")
    check(server_unread(browser, "lobby") == UNREAD_MESSAGES,
          f"GET /api/rooms says lobby has {server_unread(browser, 'lobby')} unread, expected {UNREAD_MESSAGES}")

    reload_and_restore(browser)
    wait_unread(browser, "lobby", UNREAD_MESSAGES, 10, f"the counts to be {UNREAD_MESSAGES} again after the reload")
    check(selected_tab(browser) == "chat-room-announcements-tab",
          f"after the reload the selected tab is {selected_tab(browser)!r}, expected the announcements tab")

    browser.click("#chat-room-lobby-tab")
    wait_chat_message(browser, "room", "lobby", f"unread message {UNREAD_MESSAGES}")
    wait_unread(browser, "lobby", 0, 10, "opening lobby to clear its badge and #unread-total")
    # The read marker (POST /api/rooms/lobby/read) goes out asynchronously: wait until the server has it.
    wait_until(lambda: server_unread(browser, "lobby") == 0, 10, "GET /api/rooms to report lobby with 0 unread")

    reload_and_restore(browser)
    browser.wait_visible("#chat-room-lobby-tab", 15, "the lobby tab after the second reload")
    wait_until(lambda: browser.driver.execute_script("return window.parley.chat.state") == "ready", 10,
               "the chat to load its rooms after the second reload")
    wait_unread(browser, "lobby", 0, 3, "the counts to stay 0 after the second reload")
    time.sleep(1)  # a late count would show within the server's answer; look once more
    wait_unread(browser, "lobby", 0, 0, "the counts to stay 0 a second after the second reload")
    scenario.note(f"{UNREAD_MESSAGES} unread kept over a reload, 0 after opening lobby and another reload")


def presence_round_trip_with_baresip(scenario):
    """alice (page) and bob (baresip with the presence module, registered as bob-desk) share lobby, so they are
    buddies. alice's "Do not disturb" + note reaches baresip's subscription to sip:alice@localhost; bob's
    open/closed publications and his unregistration reach alice's buddy list (bob's label in lobby's members)."""
    server = chat_server(scenario, "presence", [("lobby", ["alice", "bob"])])
    browser = signed_in_browser(scenario, server)
    browser.wait_visible("#chat-room-lobby-member-bob", 15, "bob in lobby's member list")
    desk = scenario.baresip_console("bob-desk")
    desk.start(server, *DEVICE, contacts=[(ALICE_LABEL, ALICE_URI)])
    desk.wait_registered(15)

    # baresip publishes "open" after registering: the page shows bob available.
    wait_member_presence(browser, "lobby", "bob", "available", "Available", 10,
                         "bob to show as Available once baresip registered and published open")
    wait_until(lambda: desk.contact_state(ALICE_URI) == "Online", 10,
               "baresip's /contacts to list alice Online (its SUBSCRIBE's first NOTIFY)")

    # (a) alice: Do not disturb with a note -> a NOTIFY to baresip with <rpid:busy/>, do-not-disturb, the note.
    start = desk.mark()
    browser.fill("#presence-note", PRESENCE_NOTE)
    Select(browser.element("#presence-select")).select_by_value("dnd")
    wait_until(lambda: browser.text("#presence-display") == f"Do not disturb: {PRESENCE_NOTE}", 5,
               f'#presence-display to read "Do not disturb: {PRESENCE_NOTE}"')
    changed = desk.wait_log(r"<%s> changed status from (\w+) to (\w+)" % re.escape(ALICE_URI), 10, start)
    check(changed and changed.group(2) == "Busy",
          f"baresip logged {changed.group(0) if changed else 'no status change'} for alice, expected Online -> Busy "
          f"(log {desk.log_path()})")
    wait_until(lambda: PRESENCE_NOTE in (last_notify_from(desk, ALICE_URI, start) or ""), 5,
               f'a NOTIFY from alice carrying the note "{PRESENCE_NOTE}"')
    notify = last_notify_from(desk, ALICE_URI, start)
    check("<rpid:busy/>" in notify and "do-not-disturb" in notify,
          f"alice's NOTIFY to baresip lacks <rpid:busy/> or do-not-disturb: {notify[-600:]!r}")
    first = f"baresip: alice {changed.group(1)} -> {changed.group(2)}, NOTIFY with the note"

    # (b) bob: baresip publishes closed, then open again, then unregisters (/quit). baresip 1.0 can publish
    # only open or closed; Parley reads "closed" from a device that is still registered as away
    # (PIDFReader: a closed document with no activity), and offline means no device registered.
    desk.command("/presence_offline")
    wait_member_presence(browser, "lobby", "bob", "away", "Away", 10,
                         "bob to show as Away after baresip's /presence_offline (PUBLISH <basic>closed</basic>)")
    desk.command("/presence_online")
    wait_member_presence(browser, "lobby", "bob", "available", "Available", 10,
                         "bob to show as Available after baresip's /presence_online (PUBLISH <basic>open</basic>)")
    desk.stop()
    wait_member_presence(browser, "lobby", "bob", "offline", "Offline", 15,
                         "bob to show as Offline after baresip quit (un-REGISTER, PUBLISH Expires: 0)")
    scenario.note(f"{first}; page: bob Available -> Away -> Available (closed, open) -> Offline (quit)")


ALL = [
    ("room_messages_both_ways", room_messages_both_ways),
    ("unread_counts_survive_reload", unread_counts_survive_reload),
    ("presence_round_trip_with_baresip", presence_round_trip_with_baresip),
]
