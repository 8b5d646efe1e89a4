#!/usr/bin/env bash
# The Kamailio side of Parley's signalling benchmark, end to end and on loopback only: starts Kamailio
# (kamailio-start) with a fresh store of users, measures its memory per idle registered WebSocket
# connection while the instance is fresh (ws_register_probe.py), registers the callees at a sipp UAS,
# checks each sipp scenario at 10 calls/s, finds the peak rate of REGISTER, MESSAGE and INVITE with 0
# failed calls (signalling-lib.sh), stops Kamailio and prints a results table. Everything it starts is
# stopped by PID on exit; the whole run is bounded by BENCH_MAX_SECONDS.
#
#   run-kamailio.sh            full run (about 10 minutes on 2 cores)
#   run-kamailio.sh --quick    the WebSocket probe with 200 connections and the 10 calls/s checks only
#
# Knobs (environment):
#   BENCH_OUT             results directory (default: a new /tmp/parley-sigbench.XXXXXX); results.txt there
#   BENCH_SCENARIOS       which peaks to find (default "register message invite")
#   BENCH_WS_CONNECTIONS  WebSocket connections of the memory probe (default 2000; 200 with --quick)
#   BENCH_MAX_SECONDS     hard limit for the whole run (default 1800)
#   BENCH_SERVER_CPUS     pin Kamailio to these CPUs (taskset list, e.g. 0; with BENCH_LOAD_CPUS=1 for sipp)
#   KAMAILIO_*            see kamailio-start (ports 5070/5071, users 10000, 4 UDP workers, ...)
#   BENCH_*               see signalling-lib.sh (step length, start rate, p99 limit, sipp ports, ...)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
for lib in "$HERE/../lib.sh" "$HERE/../../lib.sh"; do [[ -f "$lib" ]] && { source "$lib"; break; }; done
declare -F say >/dev/null || { echo "run-kamailio.sh: scripts/lib.sh not found" >&2; exit 1; }
# shellcheck source=scripts/bench-signalling/signalling-lib.sh
source "$HERE/signalling-lib.sh"

QUICK=0
case "${1:-}" in
    --quick) QUICK=1 ;;
    "") ;;
    -h | --help)
        sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (try --help)" ;;
esac

# The whole run under one hard limit: re-run this script under timeout(1) once.
if [[ -z "${SIG_UNDER_TIMEOUT:-}" ]]; then
    SIG_UNDER_TIMEOUT=1 exec timeout -k 15 "${BENCH_MAX_SECONDS:-1800}" "$0" "$@"
fi

missing=()
for tool in kamailio kamcmd sqlite3 sipp python3 taskset ss; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ -d /usr/lib/x86_64-linux-gnu/kamailio/modules || -d /usr/lib/kamailio/modules ]] || missing+=(kamailio-modules)
if ((${#missing[@]} > 0)); then
    die "missing: ${missing[*]} (apt-get install kamailio kamailio-websocket-modules kamailio-sqlite-modules sqlite3 sip-tester)"
fi

OUT="${BENCH_OUT:-$(mktemp -d /tmp/parley-sigbench.XXXXXX)}"
mkdir -p "$OUT"
export KAMAILIO_DIR="${KAMAILIO_DIR:-$OUT/kamailio}"
export KAMAILIO_UDP_PORT="${KAMAILIO_UDP_PORT:-5070}"
export KAMAILIO_WS_PORT="${KAMAILIO_WS_PORT:-5071}"
export KAMAILIO_USERS="${KAMAILIO_USERS:-10000}"
export KAMAILIO_MAX_SECONDS="${KAMAILIO_MAX_SECONDS:-${BENCH_MAX_SECONDS:-1800}}"
ws_connections="${BENCH_WS_CONNECTIONS:-$([[ $QUICK -eq 1 ]] && echo 200 || echo 2000)}"
scenarios="${BENCH_SCENARIOS:-register message invite}"
((ws_connections <= KAMAILIO_USERS)) || die "BENCH_WS_CONNECTIONS ($ws_connections) > KAMAILIO_USERS ($KAMAILIO_USERS)"

# Every port we bind must be free on 127.0.0.1 before we start.
for port in "$KAMAILIO_UDP_PORT" "$SIG_REG_PORT" "$SIG_UAC_PORT" "$SIG_UAS_PORT"; do
    [[ -z "$(ss -Hlun "sport = :$port")" ]] || die "UDP port $port is in use"
done
[[ -z "$(ss -Hltn "sport = :$KAMAILIO_WS_PORT")" ]] || die "TCP port $KAMAILIO_WS_PORT is in use"

cleanup() {
    sig_uas_stop
    "$HERE/kamailio-stop" || true
}
trap cleanup EXIT
trap 'exit 143' TERM INT

if [[ -n "${BENCH_SERVER_CPUS:-}" ]]; then
    # kamailio-start runs kamailio under timeout; taskset here is inherited by both and by every child.
    pid="$(taskset -c "$BENCH_SERVER_CPUS" "$HERE/kamailio-start")"
else
    pid="$("$HERE/kamailio-start")"
fi
version="$(kamailio -v 2>/dev/null | head -1 | sed 's/^version: kamailio //; s/ *$//')"
say "Kamailio $version, PID $pid; results in $OUT"

# 1. Memory per idle registered WebSocket connection, on the fresh instance.
say "WebSocket probe: $ws_connections connections"
python3 "$HERE/ws_register_probe.py" --pid "$pid" --port "$KAMAILIO_WS_PORT" --count "$ws_connections" \
    --kamcmd "unix:$KAMAILIO_DIR/ctl.sock" --timeout 300 | tee "$OUT/ws-probe.log" ||
    die "WebSocket probe failed (see $OUT/ws-probe.log)"
ws_result="$(grep '^RESULT ' "$OUT/ws-probe.log" | tail -1)"

# 2. Load: callers REGISTER and send; callees are registered once at the sipp UAS.
sig_init "$OUT" "127.0.0.1:$KAMAILIO_UDP_PORT" "$KAMAILIO_USERS" "$pid"
sig_register_callees
for name in register message invite; do
    sig_check "$name"
done
if [[ $QUICK -eq 0 ]]; then
    for name in $scenarios; do
        say "peak search: $name"
        sig_peak "$name"
    done
fi

kill -0 "$pid" 2>/dev/null || die "Kamailio $pid died during the run (see $KAMAILIO_DIR/kamailio.log)"
{
    echo "Kamailio $version, $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))," \
        "$KAMAILIO_USERS users (half callers, half callees), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "server CPUs: ${BENCH_SERVER_CPUS:-not pinned}; sipp CPUs: ${BENCH_LOAD_CPUS:-not pinned}"
    sig_table "$ws_result"
} | tee "$OUT/results.txt"
