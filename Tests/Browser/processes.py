"""Starting and ending the harness's subprocesses, always by their own PID (or their own process group)."""

import os
import signal
import subprocess
import time


def start(argv, log_path, cwd=None, stderr_path=None, env=None):
    """Starts `argv` in a new session (its own process group) with stdout (and stderr) to files.

    The new group lets `end` reach helpers the process itself started (baresip under baresip_peer.py)
    without touching anything else.
    """
    stdout = open(log_path, "ab")
    stderr = open(stderr_path, "ab") if stderr_path else subprocess.STDOUT
    try:
        return subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                start_new_session=True, env=env)
    finally:
        stdout.close()
        if stderr_path:
            stderr.close()


def _signal_group(process, signum):
    try:
        os.killpg(process.pid, signum)  # the group id is the PID of the process we started
    except (ProcessLookupError, PermissionError):
        pass


def end(process, first_signal=signal.SIGTERM, grace=5.0):
    """Ends a process started by `start`: `first_signal` to its PID, then SIGKILL to its group after `grace` s.

    Returns the exit status (None if it could not be collected).
    """
    if process is None:
        return None
    if process.poll() is None:
        try:
            process.send_signal(first_signal)
        except ProcessLookupError:
            pass
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                return None
    # Children that outlived their parent (same group) go too.
    _signal_group(process, signal.SIGKILL)
    return process.returncode


def read_text(path):
    """A log file's text ("" when missing)."""
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for_executable(path, timeout):
    """Waits until `path` exists and is executable (the lead may be rebuilding the binary)."""
    deadline = time.monotonic() + timeout
    while not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if time.monotonic() >= deadline:
            raise FileNotFoundError(f"{path} is missing or not executable (waited {timeout:g} s)")
        time.sleep(1)
