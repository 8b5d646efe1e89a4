#!/usr/bin/env bash
# The Parley side of the signalling benchmark, measured exactly as run-kamailio.sh measures Kamailio:
# a fresh store with the same users, memory per idle registered WebSocket connection on the fresh
# server (ws_register_probe.py), then 10,000 registered WebSocket clients with the Swift load client
# (SIPLoadClient: memory at that scale, then MESSAGE between them), then the sipp checks and peak
# searches for REGISTER, MESSAGE and INVITE over UDP. Every SIP client authenticates with the user's
# device account userNNN-sip (same password; a web account signs in only over HTTPS), while its AOR stays
# sip:userNNN@localhost. Loopback only; everything it starts is stopped by PID on exit; the whole run is
# bounded by BENCH_MAX_SECONDS.
#
#   run-parley.sh            full run
#   run-parley.sh --quick    the probes with 200 connections and the 10 calls/s checks only
#
# Knobs (environment):
#   BENCH_OUT             results directory (default: a new /tmp/parley-sigbench.XXXXXX); results.txt there
#   BENCH_SCENARIOS       which peaks to find (default "register message invite")
#   BENCH_WS_CONNECTIONS  connections of the memory probe (default 2000; 200 with --quick)
#   BENCH_WS_CLIENTS      registered clients of the load client (default 10000; 500 with --quick)
#   BENCH_WS_MESSAGE_RATE MESSAGE/s between them (default 2000), for BENCH_WS_MESSAGE_SECONDS (10)
#   BENCH_MAX_SECONDS     hard limit for the whole run (default 1800)
#   BENCH_SERVER_CPUS     pin Parley to these CPUs (taskset list, e.g. 0; with BENCH_LOAD_CPUS=1 for sipp)
#   PARLEY_UDP_PORT, PARLEY_WS_PORT   127.0.0.1 ports (default 5070, 5071: the same as Kamailio's)
#   PARLEY_BENCH_USERS    users in the store (default 10000)
#   BENCH_*               see signalling-lib.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
for lib in "$HERE/../lib.sh" "$HERE/../../lib.sh"; do [[ -f "$lib" ]] && { source "$lib"; break; }; done
declare -F say >/dev/null || { echo "run-parley.sh: scripts/lib.sh not found" >&2; exit 1; }
# shellcheck source=scripts/bench-signalling/signalling-lib.sh
source "$HERE/signalling-lib.sh"

QUICK=0
case "${1:-}" in
    --quick) QUICK=1 ;;
    "") ;;
    -h | --help)
        sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (try --help)" ;;
esac

if [[ -z "${SIG_UNDER_TIMEOUT:-}" ]]; then
    SIG_UNDER_TIMEOUT=1 exec timeout -k 15 "${BENCH_MAX_SECONDS:-1800}" "$0" "$@"
fi

require_swift
for tool in sipp python3 taskset ss; do
    command -v "$tool" >/dev/null 2>&1 || die "missing: $tool (scripts/setup installs the test peers)"
done

OUT="${BENCH_OUT:-$(mktemp -d /tmp/parley-sigbench.XXXXXX)}"
mkdir -p "$OUT"
UDP_PORT="${PARLEY_UDP_PORT:-5070}"
WS_PORT="${PARLEY_WS_PORT:-5071}"
USERS="${PARLEY_BENCH_USERS:-10000}"
# SIP clients authenticate as userNNN + this: the device account `user import --device-suffix` gives each user.
AUTH_SUFFIX=-sip
ws_connections="${BENCH_WS_CONNECTIONS:-$([[ $QUICK -eq 1 ]] && echo 200 || echo 2000)}"
ws_clients="${BENCH_WS_CLIENTS:-$([[ $QUICK -eq 1 ]] && echo 500 || echo 10000)}"
ws_rate="${BENCH_WS_MESSAGE_RATE:-2000}"
ws_seconds="${BENCH_WS_MESSAGE_SECONDS:-10}"
scenarios="${BENCH_SCENARIOS:-register message invite}"
((ws_clients <= USERS && ws_connections <= USERS)) || die "more WebSocket clients than users ($USERS)"

for port in "$UDP_PORT" "$SIG_REG_PORT" "$SIG_UAC_PORT" "$SIG_UAS_PORT"; do
    [[ -z "$(ss -Hlun "sport = :$port")" ]] || die "UDP port $port is in use"
done
[[ -z "$(ss -Hltn "sport = :$WS_PORT")" ]] || die "TCP port $WS_PORT is in use"

cd "$PARLEY_ROOT"
say "building parley and the WebSocket load client (release)"
swift build -c release --product parley >"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"
swift build -c release --package-path Benchmarks --product SIPLoadClient >>"$OUT/build.log" 2>&1 ||
    die "load client build failed (see $OUT/build.log)"
PARLEY="$PARLEY_ROOT/.build/release/parley"
LOADER="$PARLEY_ROOT/Benchmarks/.build/release/SIPLoadClient"

DATA="$OUT/parley-data"
rm -rf "$DATA"
# The same users as kamailio-start: user000 .. user<N-1>, password "secret", domain localhost; each with
# the device account userNNN-sip (password "secret") that its SIP clients authenticate as. The suffix is
# passed as --device-suffix=VALUE: a separate value starting with "-" would be taken for an option.
say "provisioning $USERS users with device accounts userNNN$AUTH_SUFFIX"
awk -v n="$USERS" 'BEGIN { for (i = 0; i < n; i++) printf "user%03d,secret\n", i }' >"$OUT/users.csv"
"$PARLEY" user import "$OUT/users.csv" --device-suffix="$AUTH_SUFFIX" --data-dir "$DATA" >/dev/null

PARLEY_PID=""
start_parley() {
    # sipp answers only the topmost challenge, MD5 only, with one fixed digest uri: MD5 first, no uri check
    # (Kamailio's configuration does not check the uri either).
    # shellcheck disable=SC2054 # the commas are inside one argument
    local -a cmd=("$PARLEY" serve --data-dir "$DATA" --sip-udp "127.0.0.1:$UDP_PORT" --sip-tcp off --sip-tls off
        --https off --sip-ws "127.0.0.1:$WS_PORT" --digest-algorithms MD5,SHA-256 --digest-uri-check off)
    if [[ -n "${BENCH_SERVER_CPUS:-}" ]]; then cmd=(taskset -c "$BENCH_SERVER_CPUS" "${cmd[@]}"); fi
    "${cmd[@]}" >"$OUT/parley.log" 2>&1 &
    PARLEY_PID=$!
    local _
    for _ in $(seq 1 100); do
        grep -q "parley: serving" "$OUT/parley.log" 2>/dev/null && return 0
        kill -0 "$PARLEY_PID" 2>/dev/null || die "parley exited (see $OUT/parley.log)"
        sleep 0.1
    done
    die "parley did not start (see $OUT/parley.log)"
}
stop_parley() {
    [[ -n "$PARLEY_PID" ]] || return 0
    kill -TERM "$PARLEY_PID" 2>/dev/null || true
    wait "$PARLEY_PID" 2>/dev/null || true
    PARLEY_PID=""
}
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

cleanup() {
    sig_uas_stop
    stop_parley
}
trap cleanup EXIT
trap 'exit 143' TERM INT

version="$("$PARLEY" --version)"

# 1. Memory per idle registered WebSocket connection, on a fresh server, measured like Kamailio's.
start_parley
say "Parley $version, PID $PARLEY_PID; results in $OUT"
say "WebSocket probe: $ws_connections connections"
python3 "$HERE/ws_register_probe.py" --pid "$PARLEY_PID" --port "$WS_PORT" --path /sip --count "$ws_connections" \
    --auth-suffix="$AUTH_SUFFIX" --timeout 300 | tee "$OUT/ws-probe.log" ||
    die "WebSocket probe failed (see $OUT/ws-probe.log)"
ws_result="$(grep '^RESULT ' "$OUT/ws-probe.log" | tail -1)"
stop_parley

# 2. Scale: the Swift load client registers ws_clients WebSocket clients, then they exchange MESSAGE.
start_parley
rss_before="$(rss_kib "$PARLEY_PID")"
say "load client: $ws_clients WebSocket clients, then MESSAGE at $ws_rate/s for $ws_seconds s"
"$LOADER" --port "$WS_PORT" --clients "$ws_clients" --user-prefix user --user-digits 3 --auth-suffix "$AUTH_SUFFIX" \
    --hold 5 --message-rate "$ws_rate" --message-seconds "$ws_seconds" >"$OUT/ws-load.log" 2>&1 &
loader_pid=$!
for _ in $(seq 1 600); do
    grep -q READY "$OUT/ws-load.log" 2>/dev/null && break
    kill -0 "$loader_pid" 2>/dev/null || break
    sleep 0.5
done
sleep 3
rss_after="$(rss_kib "$PARLEY_PID")"
wait "$loader_pid" || warn "the load client failed (see $OUT/ws-load.log)"
cat "$OUT/ws-load.log"
ws_scale="$(awk -v a="$rss_after" -v b="$rss_before" -v n="$ws_clients" \
    'BEGIN { printf "RSS %.1f MiB -> %.1f MiB: +%.1f KiB per registered connection", b / 1024, a / 1024, (a - b) / n }')"
say "$ws_scale"
stop_parley

# 3. UDP: REGISTER, MESSAGE and INVITE peaks with sipp, on a fresh server.
start_parley
sig_init "$OUT" "127.0.0.1:$UDP_PORT" "$USERS" "$PARLEY_PID" "$AUTH_SUFFIX"
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
kill -0 "$PARLEY_PID" 2>/dev/null || die "parley $PARLEY_PID died during the run (see $OUT/parley.log)"

{
    echo "Parley $version, $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))," \
        "$USERS users (half callers, half callees), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "server CPUs: ${BENCH_SERVER_CPUS:-not pinned}; sipp CPUs: ${BENCH_LOAD_CPUS:-not pinned}"
    sig_table "$ws_result"
    echo "WebSocket scale: $ws_clients clients: $ws_scale"
    grep -E '^(register|message):' "$OUT/ws-load.log" | sed 's/^/WebSocket load client: /'
} | tee "$OUT/results.txt"
