"""A headless Chromium with a fresh profile, driven through selenium, plus what the scenarios ask of the page."""

import json
import os
import shutil
import signal
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from waiting import ScenarioFailure, wait_until

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1280, 800)

# Feeds the remote stream (#remote-audio's srcObject) into an AnalyserNode and returns the strongest
# frequency between 100 and 4000 Hz, averaged (as power) over `listenMs` of audio. Chrome only delivers
# remote WebRTC audio to Web Audio while the stream also plays in a media element; the page does that.
REMOTE_AUDIO_PEAK_JS = r"""
const [waitMs, listenMs] = arguments;
const done = arguments[arguments.length - 1];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
    const audio = document.getElementById("remote-audio");
    const deadline = Date.now() + waitMs;
    let stream = audio.srcObject;
    while (!(stream && stream.getAudioTracks().length > 0) && Date.now() < deadline) {
        await sleep(100);
        stream = audio.srcObject;
    }
    if (!stream || stream.getAudioTracks().length === 0) return {error: "no remote audio track on #remote-audio"};
    const track = stream.getAudioTracks()[0];
    const context = new AudioContext();
    await context.resume();
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    source.connect(analyser);
    const bins = new Float32Array(analyser.frequencyBinCount);
    const power = new Float64Array(analyser.frequencyBinCount);
    const samples = new Float32Array(analyser.fftSize);
    let snapshots = 0;
    let rmsSum = 0;
    const end = Date.now() + listenMs;
    while (Date.now() < end) {
        await sleep(200);
        analyser.getFloatFrequencyData(bins);
        for (let i = 0; i < bins.length; i++) power[i] += Math.pow(10, bins[i] / 10);
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        rmsSum += Math.sqrt(sum / samples.length);
        snapshots++;
    }
    const binHz = context.sampleRate / analyser.fftSize;
    let peak = -1;
    for (let i = Math.ceil(100 / binHz); i <= Math.floor(4000 / binHz); i++) {
        if (peak < 0 || power[i] > power[peak]) peak = i;
    }
    // Parabolic interpolation between the neighbours of the peak bin (in dB) for a finer estimate.
    const db = (i) => 10 * Math.log10(power[i] / snapshots + 1e-30);
    const [left, centre, right] = [db(peak - 1), db(peak), db(peak + 1)];
    const denominator = left - 2 * centre + right;
    const offset = denominator !== 0 ? 0.5 * (left - right) / denominator : 0;
    const result = {
        peakHz: (peak + offset) * binHz, peakDb: centre, binHz, sampleRate: context.sampleRate, snapshots,
        rms: rmsSum / Math.max(1, snapshots), trackState: track.readyState, trackMuted: track.muted,
        audioPaused: audio.paused,
    };
    source.disconnect();
    await context.close();
    return result;
})().then(done, (error) => done({error: String(error && error.stack || error)}));
"""

# Captures CDP Network.webSocketFrame* events from the performance log: the page's SIP traffic.
WEBSOCKET_EVENTS = ("Network.webSocketFrameSent", "Network.webSocketFrameReceived", "Network.webSocketCreated",
                    "Network.webSocketClosed", "Network.webSocketFrameError",
                    "Network.webSocketHandshakeResponseReceived", "Network.webSocketWillSendHandshakeRequest")


class BrowserSession:
    """One Chromium (fresh --user-data-dir) for one scenario; `close` ends it and everything it started."""

    def __init__(self, out_dir, name, fake_microphone_wav):
        self.out_dir = out_dir
        self.name = name
        self.profile_dir = tempfile.mkdtemp(prefix=f"parley-chromium-{name}-")
        self.driver_log = os.path.join(out_dir, f"{name}-chromedriver.log")
        self.console_lines = []
        self.sip_trace_lines = []
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-breakpad",
            "--disable-crash-reporter",
            "--metrics-recording-only",
            "--ignore-certificate-errors",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={fake_microphone_wav}",
            "--allow-loopback-in-peer-connection",
            "--autoplay-policy=no-user-gesture-required",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            f"--user-data-dir={self.profile_dir}",
        ):
            options.add_argument(flag)
        options.accept_insecure_certs = True
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
        service = Service(executable_path=CHROMEDRIVER, log_output=self.driver_log)
        self.service = service
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(30)
        self.driver.set_window_size(*WINDOW)
        # The headless window's viewport is smaller than the window; screenshots are the viewport.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})

    # ---- page helpers -------------------------------------------------------------------------------

    def open(self, url):
        self.driver.get(url)

    def element(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def elements(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css):
        found = self.elements(css)
        return bool(found) and found[0].is_displayed()

    def attribute(self, css, name):
        return self.element(css).get_attribute(name)

    def text(self, css):
        return self.element(css).text

    def wait_visible(self, css, timeout, what=None):
        wait_until(lambda: self.visible(css), timeout, what or f"{css} to be visible")

    def wait_attribute(self, css, name, value, timeout, what=None):
        wait_until(lambda: self.attribute(css, name) == value, timeout,
                   what or f'{css}[{name}="{value}"] (now "{self.safe_attribute(css, name)}")')

    def safe_attribute(self, css, name):
        try:
            return self.attribute(css, name)
        except WebDriverException:
            return "?"

    def registration_state(self):
        return self.safe_attribute("#registration-status", "data-state")

    def wait_registered(self, timeout=20):
        try:
            wait_until(lambda: self.attribute("#registration-status", "data-state") == "registered", timeout,
                       "#registration-status[data-state=registered]")
        except ScenarioFailure as failure:
            badge = self.safe_text("#registration-status")
            raise ScenarioFailure(f"{failure} (badge: {self.registration_state()!r}, {badge!r})") from None

    def safe_text(self, css):
        try:
            return self.text(css)
        except WebDriverException:
            return "?"

    def fill(self, css, value):
        field = self.element(css)
        field.clear()
        field.send_keys(value)

    def click(self, css):
        self.element(css).click()

    def sign_in(self, url, user, password, timeout=20):
        """Opens the page, signs in and waits for the home view; registration is waited for separately."""
        self.open(url)
        self.wait_visible("#signin-view", timeout, "the sign-in view")
        self.fill("#signin-user", user)
        self.fill("#signin-password", password)
        self.click("#signin-submit")
        wait_until(lambda: self.visible("#home-view") or self.safe_text("#signin-error").strip(), timeout,
                   "the home view after signing in")
        if not self.visible("#home-view"):
            raise ScenarioFailure(f"sign-in refused: {self.safe_text('#signin-error')!r}")

    def remote_audio_peak(self, wait_ms=10000, listen_ms=2500):
        """The dominant frequency of the call's remote audio as the page hears it (see REMOTE_AUDIO_PEAK_JS)."""
        self.driver.set_script_timeout((wait_ms + listen_ms) / 1000 + 15)
        return self.driver.execute_async_script(REMOTE_AUDIO_PEAK_JS, wait_ms, listen_ms)

    def screenshot(self, path):
        if not self.driver.save_screenshot(path):
            raise ScenarioFailure(f"could not save the screenshot {path}")
        return path

    # ---- evidence -----------------------------------------------------------------------------------

    def collect_logs(self):
        """Drains Chromium's console log and the WebSocket frames (SIP over WSS) seen so far."""
        try:
            for entry in self.driver.get_log("browser"):
                stamp = time.strftime("%H:%M:%S", time.localtime(entry["timestamp"] / 1000))
                self.console_lines.append(f"{stamp}.{entry['timestamp'] % 1000:03d} {entry['level']} "
                                          f"{entry['message']}")
        except WebDriverException as error:
            self.console_lines.append(f"(console log unavailable: {error.msg})")
        try:
            for entry in self.driver.get_log("performance"):
                message = json.loads(entry["message"]).get("message", {})
                method = message.get("method", "")
                if method not in WEBSOCKET_EVENTS:
                    continue
                params = message.get("params", {})
                stamp = self._event_time(params)
                if method in ("Network.webSocketFrameSent", "Network.webSocketFrameReceived"):
                    arrow = "page -> server" if method.endswith("Sent") else "server -> page"
                    payload = params.get("response", {}).get("payloadData", "")
                    self.sip_trace_lines.append(f"---- {stamp} {arrow}\n{payload.rstrip()}\n")
                else:
                    detail = {key: value for key, value in params.items() if key in ("url", "errorMessage")}
                    if "response" in params:
                        detail["status"] = params["response"].get("status")
                    self.sip_trace_lines.append(f"---- {stamp} {method} {json.dumps(detail)}\n")
        except WebDriverException as error:
            self.sip_trace_lines.append(f"(performance log unavailable: {error.msg})\n")

    def _event_time(self, params):
        """Wall-clock time of a CDP Network event: its monotonic `timestamp` plus the offset a handshake's
        `wallTime` gives (the log entries' own timestamps are when chromedriver collected them)."""
        if "wallTime" in params and "timestamp" in params:
            self._wall_offset = params["wallTime"] - params["timestamp"]
        monotonic = params.get("timestamp")
        if monotonic is None:
            return "?"
        offset = getattr(self, "_wall_offset", None)
        if offset is None:
            return f"t={monotonic:.3f}"
        wall = monotonic + offset
        return time.strftime("%H:%M:%S", time.localtime(wall)) + f".{int(wall * 1000) % 1000:03d}"

    def save_evidence(self, directory, screenshot=True):
        """Screenshot, console log and SIP-over-WebSocket trace into `directory`; returns the paths."""
        os.makedirs(directory, exist_ok=True)
        paths = []
        if screenshot:
            path = os.path.join(directory, f"{self.name}-failure.png")
            try:
                if self.driver.save_screenshot(path):
                    paths.append(path)
            except WebDriverException:
                pass
        self.collect_logs()
        for suffix, lines in (("console.log", self.console_lines), ("sip-trace.txt", self.sip_trace_lines)):
            path = os.path.join(directory, f"{self.name}-{suffix}")
            with open(path, "w") as handle:
                handle.write("\n".join(lines) + "\n")
            paths.append(path)
        return paths

    def close(self):
        """driver.quit(); then, by PID, chromedriver and any Chromium still using this session's profile."""
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - cleanup continues whatever quit says
            pass
        process = getattr(self.service, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            try:
                process.wait(5)
            except Exception:  # noqa: BLE001
                pass
        for pid in _pids_using(self.profile_dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(self.profile_dir, ignore_errors=True)


def _pids_using(profile_dir):
    """PIDs of processes whose command line names this session's own profile directory (ours alone)."""
    marker = f"--user-data-dir={profile_dir}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if marker in handle.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found
