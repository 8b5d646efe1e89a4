"""What one scenario uses (servers, browsers, devices) and how it is cleaned up and reported."""

import os
import traceback

from browser_session import BrowserSession
from parley_server import ParleyServer
from sip_devices import BaresipConsole, BaresipDevice, send_message
from waiting import ScenarioFailure


class RunResources:
    """Shared by all scenarios of one run: paths, the tone file and the one shared Parley."""

    def __init__(self, parley_binary, web_root, run_dir, screenshots_dir, tone_wav, add_users, keep=False):
        self.parley_binary = parley_binary
        self.web_root = web_root
        self.run_dir = run_dir
        self.screenshots_dir = screenshots_dir
        self.tone_wav = tone_wav
        self.add_users = add_users
        self.keep = keep  # also keep the console logs and SIP traces of passing scenarios
        self.screenshots = []  # (path, description)
        self._shared = None

    def shared_server(self):
        if self._shared is None:
            server = ParleyServer(self.parley_binary, self.run_dir, self.web_root, name="parley-shared")
            self.add_users(server)
            self._shared = server
        if self._shared.process is None or self._shared.process.poll() is not None:
            self._shared.start()
        return self._shared

    def close(self):
        if self._shared is not None:
            self._shared.stop()


class Scenario:
    """One scenario's resources; `finish` saves evidence on failure and ends everything it started."""

    def __init__(self, name, run):
        self.name = name
        self.run = run
        self.out_dir = os.path.join(run.run_dir, name)
        os.makedirs(self.out_dir, exist_ok=True)
        self.screenshots_dir = run.screenshots_dir
        self.notes = []
        self.evidence = []
        self._browsers = []
        self._devices = []
        self._servers = []
        self._messages = 0

    def note(self, text):
        self.notes.append(text)

    def shared_server(self):
        server = self.run.shared_server()
        self._used_server = server
        return server

    def own_server(self, name):
        """A Parley of this scenario alone (own data and ports), with the usual users; not started."""
        server = ParleyServer(self.run.parley_binary, self.out_dir, self.run.web_root, name=f"parley-{name}")
        self.run.add_users(server)
        self._servers.append(server)
        return server

    def browser(self, name):
        browser = BrowserSession(self.out_dir, f"{self.name}-{name}", self.run.tone_wav)
        self._browsers.append(browser)
        return browser

    def device(self, name):
        device = BaresipDevice(self.out_dir, name)
        self._devices.append(device)
        return device

    def baresip_console(self, name):
        """A plain baresip driven through its menu (chat and presence checks); not started."""
        device = BaresipConsole(self.out_dir, name)
        self._devices.append(device)
        return device

    def send_message(self, server, text, **options):
        """sipp (bob-desk) sends MESSAGE `text`; `options` go to sip_devices.send_message (e.g. to_user="lobby")."""
        self._messages += 1
        return send_message(server, self.out_dir, f"message{self._messages}", text, **options)

    def shot(self, browser, file_name, description):
        os.makedirs(self.screenshots_dir, exist_ok=True)
        path = os.path.join(self.screenshots_dir, file_name)
        browser.screenshot(path)
        self.run.screenshots.append((path, description))
        return path

    def finish(self, failed):
        """Saves evidence (on failure, or always with --keep); ends browsers, devices and own servers, each by PID."""
        for browser in self._browsers:
            if failed or self.run.keep:
                try:
                    self.evidence += browser.save_evidence(self.out_dir, screenshot=failed)
                except Exception:  # noqa: BLE001 - evidence is best effort
                    self.evidence.append(f"(evidence of {browser.name} failed: {traceback.format_exc(limit=1)})")
            browser.close()
        for device in self._devices:
            device.stop()
            if failed and os.path.exists(device.log_path()):
                self.evidence.append(device.log_path())
        servers = list(self._servers)
        if failed:
            shared = getattr(self, "_used_server", None)
            for server in servers + ([shared] if shared else []):
                self.evidence.append(server.log_path)
        for server in servers:
            server.stop()


def run_scenario(name, function, run):
    """Runs one scenario; returns (passed, reason, scenario)."""
    scenario = Scenario(name, run)
    failed = True
    reason = ""
    try:
        function(scenario)
        failed = False
    except ScenarioFailure as failure:
        reason = str(failure)
    except Exception as error:  # noqa: BLE001 - any error fails this scenario, not the run
        reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        with open(os.path.join(scenario.out_dir, "traceback.txt"), "w") as handle:
            handle.write(traceback.format_exc())
        scenario.evidence.append(os.path.join(scenario.out_dir, "traceback.txt"))
    finally:
        scenario.finish(failed)
    return not failed, reason, scenario

