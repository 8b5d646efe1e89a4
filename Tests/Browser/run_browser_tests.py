#!/usr/bin/env python3
"""Parley's browser tests: the bundled web client in headless Chromium against a real Parley and SIP devices.

    python3 Tests/Browser/run_browser_tests.py --parley .build/debug/parley [--only NAME[,NAME]]
        [--screenshots DIR] [--keep] [--budget SECONDS]

Prints one line per scenario, "PASS name 12.3s" or "FAIL name 12.3s reason", then
"SUMMARY passed=N failed=M total=T seconds=S artifacts=DIR|removed", and exits 0 only when every
scenario passed. Everything binds to and targets 127.0.0.1; every wait is bounded and the whole run
is stopped by a watchdog after --budget seconds (plus cleanup).
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import scenarios  # noqa: E402
from scenario_run import RunResources, run_scenario  # noqa: E402
from sip_devices import make_tone  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BUDGET_SECONDS = 330  # the watchdog fires 30 s later: at most 6 minutes
MINIMUM_SCENARIO_SECONDS = 20  # a scenario is not started with less than this left of the budget


class RunTimeExceeded(BaseException):
    """Raised by the watchdog alarm; a BaseException so bounded waits do not swallow it."""


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parley", default=os.path.join(REPO, ".build", "debug", "parley"),
                        help="the parley binary (default: .build/debug/parley of this repository)")
    parser.add_argument("--web-root", default=os.path.join(REPO, "WebClient"), help="the web client's folder")
    parser.add_argument("--only", help="comma-separated scenario names: " + ", ".join(n for n, _ in scenarios.ALL))
    parser.add_argument("--screenshots", help="where the screenshots scenario saves PNGs (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the run directory (data dirs, logs, recordings) even when everything passed")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET_SECONDS,
                        help=f"seconds for the whole run (default {DEFAULT_BUDGET_SECONDS})")
    arguments = parser.parse_args(argv)
    known = dict(scenarios.ALL)
    if arguments.only:
        names = [name.strip() for name in arguments.only.split(",") if name.strip()]
        unknown = [name for name in names if name not in known]
        if unknown:
            parser.error(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}")
        arguments.selected = [(name, known[name]) for name in names]
    else:
        arguments.selected = list(scenarios.ALL)
    arguments.parley = os.path.abspath(arguments.parley)
    arguments.web_root = os.path.abspath(arguments.web_root)
    return arguments


def on_alarm(signum, frame):
    raise RunTimeExceeded()


def main(argv):
    arguments = parse_arguments(argv)
    started = time.monotonic()
    run_dir = tempfile.mkdtemp(prefix="parley-browser-tests-")
    screenshots_dir = os.path.abspath(arguments.screenshots) if arguments.screenshots else \
        tempfile.mkdtemp(prefix="parley-browser-screenshots-")
    tone_wav = os.path.join(run_dir, f"microphone-{scenarios.TONE_FROM_BROWSER_HZ}hz.wav")
    run = RunResources(arguments.parley, arguments.web_root, run_dir, screenshots_dir, tone_wav, scenarios.add_users,
                       keep=arguments.keep)
    results = []
    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_alarm)  # a caller's timeout: clean up like the watchdog does
    signal.alarm(int(arguments.budget) + 30)
    try:
        make_tone(tone_wav, scenarios.TONE_FROM_BROWSER_HZ)
        for name, function in arguments.selected:
            left = arguments.budget - (time.monotonic() - started)
            if left < MINIMUM_SCENARIO_SECONDS:
                results.append((name, False, 0.0, f"not run: {left:.0f} s left of the {arguments.budget:g} s budget"))
                print(f"FAIL {name} 0.0s {results[-1][3]}", flush=True)
                continue
            scenario_started = time.monotonic()
            passed, reason, scenario = run_scenario(name, function, run)
            seconds = time.monotonic() - scenario_started
            results.append((name, passed, seconds, reason))
            if passed:
                notes = f" ({'; '.join(scenario.notes)})" if scenario.notes else ""
                print(f"PASS {name} {seconds:.1f}s{notes}", flush=True)
            else:
                print(f"FAIL {name} {seconds:.1f}s {reason}", flush=True)
                for path in scenario.evidence:
                    print(f"    evidence: {path}", flush=True)
    except RunTimeExceeded:
        done = {name for name, *_ in results}
        for name, _ in arguments.selected:
            if name not in done:
                results.append((name, False, 0.0, "stopped by the run's watchdog"))
                print(f"FAIL {name} 0.0s stopped by the run's watchdog ({arguments.budget:g} s budget)", flush=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        run.close()

    for path, description in run.screenshots:
        print(f"SCREENSHOT {path} - {description}", flush=True)
    passed = sum(1 for _, ok, _, _ in results if ok)
    failed = len(results) - passed
    all_passed = failed == 0 and len(results) == len(arguments.selected)
    if all_passed and not arguments.keep:
        shutil.rmtree(run_dir, ignore_errors=True)
        artifacts = "removed"
    else:
        artifacts = run_dir
    print(f"SUMMARY passed={passed} failed={failed} total={len(results)} "
          f"seconds={time.monotonic() - started:.1f} artifacts={artifacts}", flush=True)
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
