"""Bounded waits and the exception a scenario raises when something it checks is wrong."""

import time


class ScenarioFailure(Exception):
    """A check of a scenario failed; the message is the one-line reason printed in the results."""


def wait_until(condition, timeout, what, interval=0.1):
    """Calls `condition()` until it returns something truthy (returned) or `timeout` seconds pass.

    Exceptions from `condition` count as "not yet" (the page may be between states); the last one is
    named in the failure.
    """
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - any error is "not yet"; reported on timeout
            last_error = error
        if time.monotonic() >= deadline:
            detail = f" (last error: {type(last_error).__name__}: {last_error})" if last_error else ""
            raise ScenarioFailure(f"timed out after {timeout:g} s waiting for {what}{detail}")
        time.sleep(interval)


def check(condition, reason):
    """Raises ScenarioFailure(reason) unless `condition` holds."""
    if not condition:
        raise ScenarioFailure(reason)
