"""The browser scenarios. Each takes a Scenario (its resources) and raises ScenarioFailure when a check fails."""

import os
import re
import signal
import time

from selenium.common.exceptions import WebDriverException

from waiting import ScenarioFailure, check, wait_until

ALICE = ("alice", "alice-secret")
TONE_FROM_BROWSER_HZ = 1000  # the fake microphone (--use-file-for-fake-audio-capture)
TONE_FROM_DEVICE_HZ = 440
TOLERANCE_HZ = 25
DTMF_DIGITS = "15#"  # pressed on the page's keypad; baresip must receive them as telephone-events, in order
DTMF_PRESS_GAP_SECONDS = 0.4  # longer than a tone (100 ms) plus its gap (70 ms): one tone at a time
TIMER_TICK_SECONDS = 1  # the call view's timer refresh (call-controller.js TIMER_TICK_MS)
ANSWERED_CALL_SECONDS = 5  # baresip's call to alice: room for the 2.5 s probe and the mute clicks, then its BYE


def add_users(server):
    """alice (web), bob (web) and bob's SIP device account bob-desk."""
    server.add_user("alice", "alice-secret", display_name="Alice")
    server.add_user("bob", "bob-secret")
    server.add_device("bob", "bob-desk", "desk-secret")


def signed_in_browser(scenario, server, name="browser"):
    """A fresh browser signed in as alice and registered."""
    browser = scenario.browser(name)
    browser.sign_in(server.page_url, *ALICE)
    browser.wait_registered(20)
    return browser


def incoming_message_texts(browser):
    return [item.text for item in browser.elements("#messages li.message .message-body")]


def wait_for_message(browser, text, timeout=10):
    """Waits until #messages has an li.message whose .message-body is `text`; returns its data-from."""
    def shown():
        for item in browser.elements("#messages li.message"):
            bodies = item.find_elements("css selector", ".message-body")
            if bodies and bodies[0].text == text:
                return item.get_attribute("data-from") or "(no data-from)"
        return None
    try:
        return wait_until(shown, timeout, f'li.message with "{text}" in #messages')
    except ScenarioFailure as failure:
        raise ScenarioFailure(f"{failure}; shown: {incoming_message_texts(browser)}") from None


def device_sends_message(scenario, server, browser, text):
    """sipp (bob-desk, as bob) sends MESSAGE `text` to alice; checks the 200 and the page's list."""
    ok, summary, trace = scenario.send_message(server, text)
    check(ok, f"sipp MESSAGE did not get its 200 ({summary}; trace {trace})")
    sender = wait_for_message(browser, text)
    check("sip:bob@localhost" in sender, f"message shown with data-from {sender!r}, expected sip:bob@localhost")


def check_heard(what, found_hz, expected_hz):
    check(found_hz is not None and abs(found_hz - expected_hz) <= TOLERANCE_HZ,
          f"{what} heard {found_hz} Hz, expected {expected_hz} ± {TOLERANCE_HZ} Hz")


def call_state(browser):
    return browser.safe_attribute("#call-view", "data-state")


def wait_connected(browser, timeout=20):
    try:
        browser.wait_attribute("#call-view", "data-state", "connected", timeout, "#call-view[data-state=connected]")
    except ScenarioFailure as failure:
        status = browser.safe_text("#call-state") + " " + browser.safe_text("#call-notice")
        raise ScenarioFailure(f"{failure}; call view state {call_state(browser)!r}, text {status.strip()!r}") from None


def dial_bob_and_connect(scenario, server, browser, device_name, duration, report_dtmf=False):
    """Starts baresip as bob-desk (auto-answer, 440 Hz), dials "bob" from the page, waits for "connected"."""
    device = scenario.device(device_name)
    device.start(server, "bob", "bob-desk", "desk-secret", answer=True, tone_hz=TONE_FROM_DEVICE_HZ,
                 expect_hz=TONE_FROM_BROWSER_HZ, duration=duration, answer_wait=30, bye_timeout=15, timeout=90,
                 report_dtmf=report_dtmf)
    device.wait_registered(15)
    browser.fill("#dial-target", "bob")
    browser.click("#dial-call")
    wait_connected(browser)
    return device


def hang_up_and_check_device(browser, device):
    """#call-hangup; the call view shows the end; baresip got the BYE and heard the browser's 1000 Hz."""
    browser.click("#call-hangup")
    wait_until(lambda: call_state(browser) == "ended" and browser.text("#call-state").startswith("Ended"), 5,
               '#call-view[data-state=ended] with "Ended…"')
    ended_text = browser.text("#call-state")
    result = device.result(30)
    check(result.get("bye_received"), f"baresip did not see the BYE: {summarize(result)}")
    check_heard("baresip", result.get("dominant_hz"), TONE_FROM_BROWSER_HZ)
    check(result.get("ok"), f"baresip reported failure: {summarize(result)}")
    return ended_text, result


def device_calls_alice(scenario, server, device_name, duration=4, expect_hz=None):
    """baresip (bob-desk, as bob) dials sip:alice@localhost playing 440 Hz; it hangs up (BYE) `duration` s
    after "Call established". `expect_hz`: its result's "ok" also needs that frequency in what it recorded."""
    device = scenario.device(device_name)
    device.start(server, "bob", "bob-desk", "desk-secret", call="sip:alice@localhost", tone_hz=TONE_FROM_DEVICE_HZ,
                 expect_hz=expect_hz, duration=duration, answer_wait=25, timeout=60)
    device.wait_registered(15)
    return device


def wait_incoming_dialog(browser, timeout=20):
    wait_until(lambda: browser.attribute("#incoming-call", "open") is not None and browser.visible("#incoming-caller"),
               timeout, "the #incoming-call dialog to open")
    return browser.text("#incoming-caller")


def reject_and_check_486(browser, device):
    """#incoming-reject; the dialog closes and baresip's INVITE ends with 486 Busy Here.

    baresip's log is read directly: baresip_peer.py only notices a failed call after its --answer-wait.
    """
    browser.click("#incoming-reject")
    wait_until(lambda: browser.attribute("#incoming-call", "open") is None, 5, "the #incoming-call dialog to close")
    closed = device.wait_log(r"session closed: (\d{3}[^\r\n]*)", 10)
    check(closed is not None, f"baresip's call did not end within 10 s of Reject (log {device.log_path()})")
    reason = closed.group(1).strip()
    check(reason.startswith("486"), f"baresip's call ended with {reason!r}, expected 486 Busy Here")
    check(device.wait_log(r"Call established", 0) is None, "baresip logged 'Call established' despite Reject")
    device.stop()
    return reason


def timer_seconds(browser):
    """#call-timer ("mm:ss" or "h:mm:ss") in seconds; None while hidden or unreadable."""
    if not browser.visible("#call-timer"):
        return None
    text = browser.text("#call-timer").strip()
    if not re.fullmatch(r"\d+(:\d\d){1,2}", text):
        return None
    seconds = 0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def probe_remote_tone(browser, expected_hz, wait_ms=10000, listen_ms=2500):
    """The page's remote audio must peak at `expected_hz` (± TOLERANCE_HZ) above -90 dB; returns the probe's dict."""
    heard = browser.remote_audio_peak(wait_ms=wait_ms, listen_ms=listen_ms)
    check("error" not in heard, f"remote audio analysis failed: {heard.get('error')}")
    check(heard["peakDb"] > -90, f"the remote audio is silent (peak {heard['peakDb']:.1f} dB, {heard})")
    check_heard("the browser", round(heard["peakHz"], 1), expected_hz)
    return heard


def page_sip_frames(browser):
    """The page's SIP-over-WebSocket frames so far, as (direction, text): "in" (server -> page) or "out"."""
    browser.collect_logs()
    frames = []
    for entry in browser.sip_trace_lines:
        header, _, payload = entry.partition("\n")
        if header.endswith("server -> page"):
            frames.append(("in", payload))
        elif header.endswith("page -> server"):
            frames.append(("out", payload))
    return frames


def check_page_got_bye(browser, timeout=2):
    """A BYE reached the page over its WebSocket and the page answered it 200 (RFC 3261 §15.1.2); the summary.

    Waits up to `timeout` s: Chromium's performance log may deliver the page's answer a little later."""
    try:
        return wait_until(lambda: _page_answered_bye(browser, final=False), timeout, "the page's 200 to a BYE")
    except ScenarioFailure:
        return _page_answered_bye(browser, final=True)


def _page_answered_bye(browser, final):
    """The summary when the page got a BYE and answered it 200; else None, or (when `final`) a failure."""
    frames = page_sip_frames(browser)
    if not final and not any(direction == "out" and text.startswith("SIP/2.0 200")
                             and re.search(r"^CSeq:\s*\d+\s+BYE", text, re.MULTILINE | re.IGNORECASE)
                             for direction, text in frames):
        return None
    byes = [text for direction, text in frames if direction == "in" and text.startswith("BYE ")]
    check(byes, f"no BYE reached the page (its WebSocket frames: "
                f"{[text.split(chr(13))[0].split(chr(10))[0] for _, text in frames]})")
    cseq = re.search(r"^CSeq:\s*(\d+)\s+BYE", byes[-1], re.MULTILINE | re.IGNORECASE)
    check(cseq, f"the BYE the page got has no CSeq: {byes[-1][:300]!r}")
    answers = [text.split("\r\n")[0].split("\n")[0] for direction, text in frames if direction == "out"
               and re.search(r"^CSeq:\s*%s\s+BYE" % cseq.group(1), text, re.MULTILINE | re.IGNORECASE)]
    check(any(answer.startswith("SIP/2.0 200") for answer in answers),
          f"the page answered the BYE (CSeq {cseq.group(1)}) with {answers or 'nothing'}, expected 200")
    return f"BYE CSeq {cseq.group(1)} -> {next(a for a in answers if a.startswith('SIP/2.0 200'))}"


def toggle_mute_and_back(browser):
    """#call-mute twice: aria-pressed goes "true", then back to "false"."""
    browser.click("#call-mute")
    browser.wait_attribute("#call-mute", "aria-pressed", "true", 2)
    browser.click("#call-mute")
    browser.wait_attribute("#call-mute", "aria-pressed", "false", 2)


def press_keypad(browser, digits, gap_seconds=DTMF_PRESS_GAP_SECONDS):
    """Clicks #dtmf-keypad's button[data-digit] for each digit, `gap_seconds` apart, once the keypad is enabled."""
    first = f'#dtmf-keypad button[data-digit="{digits[0]}"]'
    wait_until(lambda: browser.element(first).is_enabled(), 5, f"{first} to be enabled while connected")
    for index, digit in enumerate(digits):
        if index:
            time.sleep(gap_seconds)
        browser.click(f'#dtmf-keypad button[data-digit="{digit}"]')


def dtmf_sender_api(browser):
    """Evidence for a tone the page did not send: what this Chromium's RTCDTMFSender offers."""
    try:
        names = browser.driver.execute_script("return Object.getOwnPropertyNames(RTCDTMFSender.prototype)")
        return f"this Chromium's RTCDTMFSender has {', '.join(sorted(names))}"
    except WebDriverException as error:
        return f"RTCDTMFSender not inspectable ({error.msg})"


def summarize(result):
    keys = ("ok", "error", "registered", "call_established", "closed_by", "bye_received", "close_reason",
            "dominant_hz", "rms", "purity", "received_seconds", "codec", "dtmf", "log")
    return {key: result.get(key) for key in keys if key in result}


# ---- scenarios -------------------------------------------------------------------------------------------


def sign_in_and_register(scenario):
    server = scenario.shared_server()
    browser = scenario.browser("browser")
    browser.open(server.page_url)
    browser.wait_visible("#signin-view", 20, "the sign-in view")
    browser.fill("#signin-user", "alice")
    browser.fill("#signin-password", "not-the-password")
    browser.click("#signin-submit")
    error = wait_until(lambda: browser.text("#signin-error").strip(), 10, "#signin-error text after a wrong password")
    check(not browser.visible("#home-view"), "the home view is shown after a wrong password")
    check(browser.visible("#signin-view"), "the sign-in view went away after a wrong password")
    scenario.note(f"wrong password: {error!r}")

    browser.fill("#signin-user", "alice")
    browser.fill("#signin-password", ALICE[1])
    browser.click("#signin-submit")
    wait_until(lambda: browser.visible("#home-view"), 15, "the home view after signing in")
    check(not browser.visible("#signin-view"), "the sign-in view is still shown after signing in")
    browser.wait_registered(20)
    identity = browser.text("#identity")
    check("sip:alice@localhost" in identity, f"#identity is {identity!r}, expected it to contain sip:alice@localhost")


def receive_message(scenario):
    server = scenario.shared_server()
    browser = signed_in_browser(scenario, server)
    device_sends_message(scenario, server, browser, "hello from sipp")


def call_device_both_tones(scenario):
    server = scenario.shared_server()
    browser = signed_in_browser(scenario, server)
    device = dial_bob_and_connect(scenario, server, browser, "bob-desk", duration=10)
    peer = browser.text("#call-peer")
    check("bob" in peer, f"#call-peer is {peer!r}, expected bob")
    heard = probe_remote_tone(browser, TONE_FROM_DEVICE_HZ)
    scenario.note(f"browser heard {heard['peakHz']:.1f} Hz at {heard['peakDb']:.1f} dB")
    ended_text, result = hang_up_and_check_device(browser, device)
    scenario.note(f"baresip heard {result.get('dominant_hz')} Hz ({result.get('codec')}); page: {ended_text!r}")


def dtmf_reaches_the_device(scenario):
    """alice presses 1, 5, # during a call to bob-desk; the page sends them with RTCDTMFSender (RFC 4733 events,
    48 kHz), Parley maps them to the device leg (8 kHz), and baresip logs each received event in order."""
    server = scenario.shared_server()
    browser = signed_in_browser(scenario, server)
    device = dial_bob_and_connect(scenario, server, browser, "bob-desk", duration=10, report_dtmf=True)
    press_keypad(browser, DTMF_DIGITS)
    try:
        wait_until(lambda: browser.text("#dtmf-digits") == DTMF_DIGITS, 3, f'#dtmf-digits to show "{DTMF_DIGITS}"')
    except ScenarioFailure as failure:
        raise ScenarioFailure(f"{failure}; it shows {browser.safe_text('#dtmf-digits')!r}, notice "
                              f"{browser.safe_text('#call-notice')!r}; {dtmf_sender_api(browser)}") from None
    tones_line = browser.text("#call-view .digits-line")
    check(tones_line == f"Tones sent: {DTMF_DIGITS}", f"the keypad's line reads {tones_line!r}")
    # The last digit's end packets reach baresip within a tone's length; a bounded wait, then hang up either way.
    last = device.wait_log(r"received event: '%s' \(end=1\)" % re.escape(DTMF_DIGITS[-1]), 5)
    ended_text, result = hang_up_and_check_device(browser, device)
    received = result.get("dtmf")
    check(received is not None, f"baresip_peer.py reported no \"dtmf\": {summarize(result)}")
    check(received == DTMF_DIGITS,
          f"baresip received the telephone-events {received!r}, expected {DTMF_DIGITS!r} in this order "
          f"(its last end=1 event {'seen' if last else 'not seen'}; log {device.log_path()})")
    scenario.note(f"page sent {DTMF_DIGITS!r} ({tones_line!r}); baresip logged RTP telephone-events {received!r} "
                  f"({result.get('codec')} call, heard {result.get('dominant_hz')} Hz); page: {ended_text!r}")


def reject_incoming_call(scenario):
    server = scenario.shared_server()
    browser = signed_in_browser(scenario, server)
    device = device_calls_alice(scenario, server, "bob-desk-caller")
    caller = wait_incoming_dialog(browser)
    check("bob" in caller, f"#incoming-caller is {caller!r}, expected bob")
    reason = reject_and_check_486(browser, device)
    wait_until(lambda: call_state(browser) in ("ended", "idle"), 5, "#call-view to show the end of the call")
    scenario.note(f"caller {caller!r}; baresip: {reason!r}; page: {browser.safe_text('#call-state')!r}")


def answer_incoming_call_both_tones(scenario):
    """bob-desk (baresip) calls alice with 440 Hz; Accept on the page; both directions carry their tone;
    mute toggles; baresip hangs up (its BYE) and the page shows that the far end ended the call."""
    server = scenario.shared_server()
    browser = signed_in_browser(scenario, server)
    device = device_calls_alice(scenario, server, "bob-desk-caller", duration=ANSWERED_CALL_SECONDS,
                                expect_hz=TONE_FROM_BROWSER_HZ)
    caller = wait_incoming_dialog(browser)
    check("bob" in caller, f"#incoming-caller is {caller!r}, expected bob")
    browser.click("#incoming-accept")
    wait_connected(browser, timeout=10)
    check(browser.attribute("#incoming-call", "open") is None, "the #incoming-call dialog is still open when connected")
    status = browser.text("#call-state")
    check(status == "Connected", f"#call-state reads {status!r} while connected, expected 'Connected'")
    peer = browser.text("#call-peer")
    check("bob" in peer, f"#call-peer is {peer!r}, expected bob")
    wait_until(lambda: timer_seconds(browser) is not None, 3, "#call-timer to show while connected")
    first_tick = timer_seconds(browser)

    heard = probe_remote_tone(browser, TONE_FROM_DEVICE_HZ)
    toggle_mute_and_back(browser)
    # After the probe's 2.5 s of listening, the once-a-second timer must have moved on.
    later_tick = timer_seconds(browser)
    check(call_state(browser) == "connected", f"the call left 'connected' before baresip's BYE was due "
                                              f"(state {call_state(browser)!r}, {browser.safe_text('#call-state')!r})")
    check(later_tick is not None and first_tick is not None and later_tick > first_tick,
          f"#call-timer did not run: {first_tick} s at connect, {later_tick} s "
          f"({browser.safe_text('#call-timer')!r}) about 3 s later")

    # baresip hangs up ANSWERED_CALL_SECONDS after "Call established": a BYE from the device.
    try:
        wait_until(lambda: call_state(browser) == "ended", ANSWERED_CALL_SECONDS + 5,
                   "#call-view[data-state=ended] after baresip's BYE")
    except ScenarioFailure as failure:
        raise ScenarioFailure(f"{failure}; #call-state {browser.safe_text('#call-state')!r}; "
                              f"baresip: {summarize(device.result(15))}") from None
    ended_text = browser.text("#call-state")
    check(re.fullmatch(r"Ended: .*hung up", ended_text) and "you hung up" not in ended_text,
          f"#call-state reads {ended_text!r} after the device's BYE, expected 'Ended: the other side hung up'")
    bye = check_page_got_bye(browser)
    frozen_at = browser.text("#call-timer")
    # The end freezes the timer; the view stays up END_DISPLAY_MS (3 s), longer than a tick (1 s) and this look.
    time.sleep(TIMER_TICK_SECONDS + 0.2)
    still = browser.safe_text("#call-timer")
    check(call_state(browser) == "ended" and still == frozen_at,
          f"#call-timer went on after the end: {frozen_at!r}, then {still!r} (state {call_state(browser)!r})")
    result = device.result(15)
    check(result.get("call_established"), f"baresip's call was not established: {summarize(result)}")
    check(result.get("closed_by") == "local" and result.get("call_closed"),
          f"baresip did not end the call itself (closed_by {result.get('closed_by')!r}): {summarize(result)}")
    check_heard("baresip", result.get("dominant_hz"), TONE_FROM_BROWSER_HZ)
    check(result.get("ok"), f"baresip reported failure: {summarize(result)}")
    scenario.note(f"caller {caller!r}; browser heard {heard['peakHz']:.1f} Hz at {heard['peakDb']:.1f} dB; "
                  f"baresip heard {result.get('dominant_hz')} Hz ({result.get('codec')}); "
                  f"timer {first_tick} s -> {later_tick} s, {frozen_at!r} at the end; page: {bye}, {ended_text!r}")


def reconnect_after_restart(scenario):
    """Twice: the server goes away (SIGTERM, then SIGKILL as a crash), comes back on the same data and ports;
    the page re-registers by itself and a device's MESSAGE reaches it."""
    server = scenario.own_server("restart")
    server.start()
    browser = signed_in_browser(scenario, server)
    for round_number, (signal_name, first_signal) in enumerate((("SIGTERM", signal.SIGTERM),
                                                                ("SIGKILL", signal.SIGKILL)), start=1):
        states = []

        def badge_is(wanted, negate=False):
            state = browser.registration_state()
            if not states or states[-1] != state:
                states.append(state)
            return (state != wanted) if negate else (state == wanted)
        old_pid = server.pid
        status = server.stop(first_signal)
        wait_until(lambda: badge_is("registered", negate=True), 15,
                   f"#registration-status to leave 'registered' after {signal_name} to parley")
        badge = browser.safe_text("#registration-status")
        time.sleep(1)  # down for a moment: the page's first reconnect attempts fail
        server.start()
        restarted = time.monotonic()
        try:
            wait_until(lambda: badge_is("registered"), 40, f"the page to register again after restart #{round_number}",
                       interval=0.2)
        except ScenarioFailure as failure:
            raise ScenarioFailure(f"{failure}; badge states seen {states}") from None
        check("reconnecting" in states and "failed" not in states,
              f"after {signal_name} the badge went through {states}, expected reconnecting (and never failed)")
        scenario.note(f"{signal_name} to {old_pid} (exit {status}): badge {states}, {badge!r} while down, "
                      f"registered {time.monotonic() - restarted:.1f} s after the restart")
        device_sends_message(scenario, server, browser, f"hello after restart {round_number}")


def screenshots(scenario):
    server = scenario.shared_server()
    out = scenario.screenshots_dir
    browser = scenario.browser("browser")
    browser.open(server.page_url)
    browser.wait_visible("#signin-view", 20, "the sign-in view")
    browser.fill("#signin-user", "alice")
    scenario.shot(browser, "signin.png", "the sign-in view (user name typed, password empty)")

    browser.fill("#signin-password", ALICE[1])
    browser.click("#signin-submit")
    wait_until(lambda: browser.visible("#home-view"), 15, "the home view after signing in")
    browser.wait_registered(20)
    device_sends_message(scenario, server, browser, "Hi Alice, the build is green.")
    scenario.shot(browser, "home.png", "the home view: registered badge, identity, one received message")

    device = dial_bob_and_connect(scenario, server, browser, "bob-desk-answering", duration=6)
    wait_until(lambda: browser.text("#call-timer") >= "00:02", 6, "#call-timer to reach 00:02")
    browser.driver.execute_script("document.getElementById('call-view').scrollIntoView({block: 'center'})")
    scenario.shot(browser, "call.png", "a connected call to bob (bob-desk): peer, timer, hang up, mute, keypad")
    hang_up_and_check_device(browser, device)
    wait_until(lambda: not browser.visible("#call-view"), 8, "the call view to close after the call")

    caller = device_calls_alice(scenario, server, "bob-desk-calling")
    wait_incoming_dialog(browser)
    time.sleep(0.3)  # the dialog's opening transition, if any
    scenario.shot(browser, "incoming.png", "the incoming-call dialog for a call from bob (bob-desk)")
    reject_and_check_486(browser, caller)
    check(os.path.isdir(out), f"no screenshot directory {out}")


ALL = [
    ("sign_in_and_register", sign_in_and_register),
    ("receive_message", receive_message),
    ("call_device_both_tones", call_device_both_tones),
    ("dtmf_reaches_the_device", dtmf_reaches_the_device),
    ("reject_incoming_call", reject_incoming_call),
    ("answer_incoming_call_both_tones", answer_incoming_call_both_tones),
    ("reconnect_after_restart", reconnect_after_restart),
    ("screenshots", screenshots),
]

# The chat and presence scenarios (chat_scenarios.py uses the helpers above, so it is imported last).
import chat_scenarios  # noqa: E402

ALL += chat_scenarios.ALL
