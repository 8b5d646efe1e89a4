# shellcheck shell=bash
# Shared helpers for Parley's developer scripts. Source it; do not run it.
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The repository root, from this file's own location, so scripts work from any directory.
# shellcheck disable=SC2034 # used by the scripts that source this file
PARLEY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARLEY_SCRIPT="$(basename "$0")"

# One short line per step on stdout; errors are one line on stderr.
say() { printf '%s: %s\n' "$PARLEY_SCRIPT" "$*"; }
warn() { printf '%s: %s\n' "$PARLEY_SCRIPT" "$*" >&2; }
die() {
    warn "$*"
    exit 1
}

# The Swift toolchain lives in /opt/swift on these machines and is not always on PATH.
PARLEY_SWIFT_BIN="${PARLEY_SWIFT_BIN:-/opt/swift/usr/bin}"
if ! command -v swift >/dev/null 2>&1 && [[ -x "$PARLEY_SWIFT_BIN/swift" ]]; then
    PATH="$PARLEY_SWIFT_BIN:$PATH"
    export PATH
fi

require_swift() {
    command -v swift >/dev/null 2>&1 ||
        die "swift not found (looked on PATH and in $PARLEY_SWIFT_BIN; set PARLEY_SWIFT_BIN to the toolchain's usr/bin)"
}

# Run a command as root: directly when root, through sudo otherwise. Never prompts in CI or
# without a terminal (sudo -n), so an unattended run fails with a clear line instead of hanging.
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        if [[ "${CI:-}" == "true" || ! -t 0 ]]; then
            sudo -n "$@"
        else
            sudo "$@"
        fi
    else
        die "need root to run '$*' (not root, and sudo is not installed)"
    fi
}
