#!/usr/bin/env bash
# Media benchmark: Parley's media bridge with N concurrent bidirectional calls on loopback, transcoded
# (web Opus <-> device PCMU) and passed through (PCMU on both legs). Parley runs pinned to one CPU, the
# load client (Benchmarks/Sources/MediaLoadClient) to another; Parley's CPU time (utime + stime from
# /proc/PID/stat) is sampled over the steady media window only, an idle window of the same length is
# subtracted, and the table gives CPU per call and the calls one core would carry. Loopback only;
# Parley and the client are stopped by their PIDs; every wait is bounded, and so is the whole run.
#
#   run.sh            full run: BENCH_CALLS x BENCH_MODES
#   run.sh --quick    10 calls, 10 s windows, both modes (a check that everything works)
#
# Knobs (environment):
#   BENCH_CALLS          call counts (default "50 100 150 200")
#   BENCH_MODES          policies (default "transcode pass-through"); transcode offers Opus+PCMU from the
#                        web side, pass-through offers PCMU only
#   BENCH_SECONDS        measured media window per run, and the idle window (default 30)
#   BENCH_SETUP_RATE     calls set up per second while ramping (default 20)
#   BENCH_SERVER_CPUS    Parley's CPUs, a taskset list (default 0)
#   BENCH_LOAD_CPUS      the load client's (and this script's) CPUs (default 1)
#   BENCH_MEDIA_PORTS    Parley's media port range (default 20000-29999, below the ephemeral ports)
#   BENCH_SETTLE_SECONDS pause after Parley starts and between runs (default 3)
#   BENCH_OUT            results directory (default: a new /tmp/parley-mediabench.XXXXXX); results.txt there
#   BENCH_MAX_SECONDS    hard limit for the whole run (default 3600)
#   BENCH_SKIP_BUILD=1   use the release binaries already built
#   PARLEY_LOG_LEVEL     Parley's log level during the runs (default warning)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$HERE/../lib.sh"

QUICK=0
case "${1:-}" in
    --quick) QUICK=1 ;;
    "") ;;
    -h | --help)
        sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (try --help)" ;;
esac

if [[ -z "${MEDIA_BENCH_UNDER_TIMEOUT:-}" ]]; then
    MEDIA_BENCH_UNDER_TIMEOUT=1 exec timeout -k 15 "${BENCH_MAX_SECONDS:-3600}" "$0" "$@"
fi

if [[ $QUICK -eq 1 ]]; then
    CALLS="${BENCH_CALLS:-10}"
    WINDOW="${BENCH_SECONDS:-10}"
else
    CALLS="${BENCH_CALLS:-50 100 150 200}"
    WINDOW="${BENCH_SECONDS:-30}"
fi
MODES="${BENCH_MODES:-transcode pass-through}"
SETUP_RATE="${BENCH_SETUP_RATE:-20}"
SERVER_CPUS="${BENCH_SERVER_CPUS:-0}"
LOAD_CPUS="${BENCH_LOAD_CPUS:-1}"
MEDIA_PORTS="${BENCH_MEDIA_PORTS:-20000-29999}"
SETTLE="${BENCH_SETTLE_SECONDS:-3}"
LOG_LEVEL="${PARLEY_LOG_LEVEL:-warning}"
DOMAIN=localhost
PASSWORD=media-bench-secret
# Device accounts (same password): the web callers' SIP clients authenticate as wNNNN-ws (a web account
# signs in only over HTTPS), the callees' phones as dNNNN-phone.
WEB_AUTH_SUFFIX=-ws
DEVICE_SUFFIX=-phone

[[ "$MEDIA_PORTS" =~ ^([0-9]+)-([0-9]+)$ ]] || die "BENCH_MEDIA_PORTS must be LOW-HIGH, not '$MEDIA_PORTS'"
MEDIA_LOW="${BASH_REMATCH[1]}"
MEDIA_HIGH="${BASH_REMATCH[2]}"
[[ "$WINDOW" =~ ^[0-9]+$ && "$WINDOW" -gt 0 ]] || die "BENCH_SECONDS must be a positive integer"
for mode in $MODES; do
    [[ "$mode" == transcode || "$mode" == pass-through ]] || die "unknown mode '$mode' (transcode, pass-through)"
done
max_calls=0
for calls in $CALLS; do
    [[ "$calls" =~ ^[0-9]+$ && "$calls" -gt 0 ]] || die "BENCH_CALLS holds '$calls', not a positive number"
    if ((calls > max_calls)); then max_calls=$calls; fi
done
# Two media ports per call on Parley's side.
(((MEDIA_HIGH - MEDIA_LOW + 1) / 2 >= max_calls * 2)) || die "BENCH_MEDIA_PORTS is too small for $max_calls calls"

for tool in taskset getconf python3 awk; do
    command -v "$tool" >/dev/null 2>&1 || die "missing: $tool"
done
taskset -c "$SERVER_CPUS" true 2>/dev/null ||
    die "cannot pin to CPUs '$SERVER_CPUS' (BENCH_SERVER_CPUS; $(nproc) CPUs here)"
taskset -c "$LOAD_CPUS" true 2>/dev/null ||
    die "cannot pin to CPUs '$LOAD_CPUS' (BENCH_LOAD_CPUS; $(nproc) CPUs here)"
CLK_TCK="$(getconf CLK_TCK)"

OUT="${BENCH_OUT:-$(mktemp -d /tmp/parley-mediabench.XXXXXX)}"
mkdir -p "$OUT"
cd "$PARLEY_ROOT"
PARLEY="$PARLEY_ROOT/.build/release/parley"
LOADER="$PARLEY_ROOT/.build-bench/release/MediaLoadClient"

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    require_swift
    say "building parley and MediaLoadClient (release; log in $OUT/build.log)"
    swift build -c release --product parley >"$OUT/build.log" 2>&1 || die "parley build failed (see $OUT/build.log)"
    swift build --package-path Benchmarks -c release --scratch-path .build-bench --product MediaLoadClient \
        >>"$OUT/build.log" 2>&1 || die "MediaLoadClient build failed (see $OUT/build.log)"
fi
[[ -x "$PARLEY" ]] || die "$PARLEY is missing (build it, or unset BENCH_SKIP_BUILD)"
[[ -x "$LOADER" ]] || die "$LOADER is missing (build it, or unset BENCH_SKIP_BUILD)"

# From here on this script (and its polling) runs on the load CPUs, away from Parley's.
taskset -cp "$LOAD_CPUS" $$ >/dev/null
# Every call holds sockets on both sides; take all the descriptors the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---------------------------------------------------------------- helpers

# A free 127.0.0.1 port (udp or tcp) outside the media range.
free_port() {
    python3 - "$1" "$MEDIA_LOW" "$MEDIA_HIGH" <<'EOF'
import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
low, high = int(sys.argv[2]), int(sys.argv[3])
for _ in range(200):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    if not low <= port <= high:
        print(port)
        sys.exit(0)
sys.exit("no free port outside the media range")
EOF
}

# utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15; the command name in
# field 2 may hold spaces, so count from the last ')').
cpu_ticks() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    awk '{ print $12 + $13 }' <<<"$stat"
}

now_seconds() { date +%s.%N; }

# CPU % of one core between two samples: ticks0 ticks1 time0 time1.
cpu_percent() {
    awk -v c0="$1" -v c1="$2" -v t0="$3" -v t1="$4" -v hz="$CLK_TCK" \
        'BEGIN { d = t1 - t0; if (d <= 0) { print "0.00" } else { printf "%.2f", (c1 - c0) / hz / d * 100 } }'
}

# Waits until FILE has a line containing TEXT: 0 when it does, 1 when PID ended first or SECONDS passed.
wait_for_line() {
    local file=$1 text=$2 limit=$3 pid=$4
    local deadline=$((SECONDS + limit))
    while ((SECONDS < deadline)); do
        grep -qF -- "$text" "$file" 2>/dev/null && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            grep -qF -- "$text" "$file" 2>/dev/null && return 0
            return 1
        fi
        sleep 0.1
    done
    return 1
}

# Waits up to SECONDS for PID (a child of this shell) to end, then TERM, then KILL; its exit status goes
# to REAPED_STATUS. Not for use in $(...): a subshell cannot wait for its parent's children.
REAPED_STATUS=0
reap() {
    local pid=$1 limit=$2
    local deadline=$((SECONDS + limit))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    REAPED_STATUS=0
    wait "$pid" 2>/dev/null || REAPED_STATUS=$?
}

PARLEY_PID=""
CLIENT_PID=""

start_parley() {
    local policy=$1
    local log="$OUT/parley-$policy.log"
    PARLEY_LOG_LEVEL="$LOG_LEVEL" taskset -c "$SERVER_CPUS" "$PARLEY" serve --data-dir "$DATA" --domain "$DOMAIN" \
        --sip-udp "127.0.0.1:$UDP_PORT" --sip-tcp off --sip-tls off --https "127.0.0.1:$HTTPS_PORT" \
        --media-ip 127.0.0.1 --media-ports "$MEDIA_PORTS" --media-codec-policy "$policy" \
        </dev/null >"$log" 2>&1 &
    PARLEY_PID=$!
    local _
    for _ in $(seq 1 150); do
        grep -q "parley: serving" "$log" 2>/dev/null && return 0
        kill -0 "$PARLEY_PID" 2>/dev/null || die "parley exited at start: $(tail -3 "$log")"
        sleep 0.1
    done
    die "parley did not start in 15 s (see $log)"
}

stop_parley() {
    [[ -n "$PARLEY_PID" ]] || return 0
    kill -TERM "$PARLEY_PID" 2>/dev/null || true
    reap "$PARLEY_PID" 10
    [[ "$REAPED_STATUS" == 0 || "$REAPED_STATUS" == 143 ]] ||
        warn "parley $PARLEY_PID ended with status $REAPED_STATUS (see $OUT/parley-*.log)"
    PARLEY_PID=""
}

cleanup() {
    if [[ -n "$CLIENT_PID" ]]; then
        kill -TERM "$CLIENT_PID" 2>/dev/null || true
        reap "$CLIENT_PID" 5
        CLIENT_PID=""
    fi
    stop_parley
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# The fields of the client's JSON line that the table shows, space-separated (- when absent).
client_fields() {
    python3 - "$1" <<'EOF'
import json, sys
lines = [l for l in open(sys.argv[1], errors="replace") if l.startswith("{")]
try:
    d = json.loads(lines[-1])
except (IndexError, ValueError):
    print("0 - - false - - -")
    sys.exit(0)
w, v = d.get("web_to_device", {}), d.get("device_to_web", {})
codecs = ",".join(f"{k}:{n}" for k, n in sorted(d.get("codecs_answered", {}).items())) or "-"
print(d.get("calls_established", 0), w.get("loss_percent", "-"), v.get("loss_percent", "-"),
      str(d.get("ok", False)).lower(), d.get("client_late_ticks", "-"), d.get("client_skipped_ticks", "-"), codecs)
EOF
}

# ---------------------------------------------------------------- provisioning

DATA="$OUT/parley-data"
rm -rf "$DATA"
UDP_PORT="$(free_port udp)"
HTTPS_PORT="$(free_port tcp)"
say "Parley $("$PARLEY" --version 2>/dev/null || echo '?'); results in $OUT"
say "provisioning $max_calls web users w0000.. with device accounts wNNNN$WEB_AUTH_SUFFIX and $max_calls" \
    "callees d0000.. with device accounts dNNNN$DEVICE_SUFFIX"
awk -v n="$max_calls" -v pw="$PASSWORD" 'BEGIN { for (i = 0; i < n; i++) printf "w%04d,%s\n", i, pw }' \
    >"$OUT/web-users.csv"
awk -v n="$max_calls" -v pw="$PASSWORD" 'BEGIN { for (i = 0; i < n; i++) printf "d%04d,%s\n", i, pw }' \
    >"$OUT/callees.csv"
# --device-suffix=VALUE in one word: a separate value starting with "-" would be taken for an option.
"$PARLEY" user import "$OUT/web-users.csv" --device-suffix="$WEB_AUTH_SUFFIX" --data-dir "$DATA" \
    --domain "$DOMAIN" >/dev/null
"$PARLEY" user import "$OUT/callees.csv" --device-suffix="$DEVICE_SUFFIX" --data-dir "$DATA" \
    --domain "$DOMAIN" >/dev/null

# ---------------------------------------------------------------- runs

RESULTS="$OUT/results.tsv"
: >"$RESULTS"
for mode in $MODES; do
    codec=opus
    [[ "$mode" == pass-through ]] && codec=pcmu
    start_parley "$mode"
    sleep "$SETTLE"
    # The baseline: Parley with no calls, over a window as long as the measured one.
    c0="$(cpu_ticks "$PARLEY_PID")"
    t0="$(now_seconds)"
    sleep "$WINDOW"
    c1="$(cpu_ticks "$PARLEY_PID")"
    t1="$(now_seconds)"
    idle="$(cpu_percent "$c0" "$c1" "$t0" "$t1")"
    say "$mode: Parley $PARLEY_PID on CPU $SERVER_CPUS (sip udp $UDP_PORT, https $HTTPS_PORT)," \
        "idle $idle% over ${WINDOW}s"

    for calls in $CALLS; do
        tag="$mode-$calls"
        out="$OUT/client-$tag.json"
        log="$OUT/client-$tag.log"
        say "$mode: $calls calls, ${SETUP_RATE}/s ramp, ${WINDOW}s of media"
        taskset -c "$LOAD_CPUS" "$LOADER" --wss "127.0.0.1:$HTTPS_PORT" --udp "127.0.0.1:$UDP_PORT" \
            --domain "$DOMAIN" --calls "$calls" --seconds "$WINDOW" --setup-rate "$SETUP_RATE" --codec "$codec" \
            --password "$PASSWORD" --device-suffix "$DEVICE_SUFFIX" --web-auth-suffix "$WEB_AUTH_SUFFIX" \
            </dev/null >"$out" 2>"$log" &
        CLIENT_PID=$!
        setup_limit="$(awk -v n="$calls" -v r="$SETUP_RATE" 'BEGIN { printf "%d", (r > 0 ? n / r : 0) + 90 }')"
        server="-"
        client="-"
        if wait_for_line "$log" "media steady" "$setup_limit" "$CLIENT_PID"; then
            s0="$(cpu_ticks "$PARLEY_PID")"
            l0="$(cpu_ticks "$CLIENT_PID" || echo 0)"
            t0="$(now_seconds)"
            if wait_for_line "$log" "media done" $((WINDOW + 60)) "$CLIENT_PID"; then
                s1="$(cpu_ticks "$PARLEY_PID")"
                l1="$(cpu_ticks "$CLIENT_PID" || echo "$l0")"
                t1="$(now_seconds)"
                server="$(cpu_percent "$s0" "$s1" "$t0" "$t1")"
                client="$(cpu_percent "$l0" "$l1" "$t0" "$t1")"
            else
                warn "$tag: no 'media done' from the client (see $log)"
            fi
        else
            warn "$tag: the calls did not come up in ${setup_limit}s (see $log)"
        fi
        # Hang-up waits at most 5 s per BYE, all at once; then the client exits.
        reap "$CLIENT_PID" 60
        status=$REAPED_STATUS
        CLIENT_PID=""
        kill -0 "$PARLEY_PID" 2>/dev/null || die "parley died during $tag (see $OUT/parley-$mode.log)"
        read -r established loss_wd loss_dw ok late skipped codecs <<<"$(client_fields "$out")"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$calls" "$established" "$loss_wd" \
            "$loss_dw" "$server" "$idle" "$client" "$late" "$skipped" "$codecs" "$ok" "$status" >>"$RESULTS"
        say "$tag: $established up, loss web->device $loss_wd%, device->web $loss_dw%," \
            "Parley $server% (idle $idle%), client $client%, exit $status"
        sleep "$SETTLE"
    done
    stop_parley
done

# ---------------------------------------------------------------- table

{
    cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "Parley media bridge, $(nproc) CPUs ($cpu_model), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "Parley on CPU $SERVER_CPUS, load client on CPU $LOAD_CPUS; ${WINDOW}s media windows;" \
        "setup ${SETUP_RATE} calls/s; loopback"
    echo "cpu%: Parley's CPU over the window, % of one core; net% = cpu% - idle%; us/call/s = net CPU time per"
    echo "call per second of media; calls/core = 100 / (net% / calls). Loss: packets the client sent on one leg"
    echo "that did not arrive on the other."
    awk -F '\t' '
        BEGIN {
            printf "%-13s %6s %4s %10s %10s %7s %6s %7s %10s %10s %8s %9s %-12s %s\n", "mode", "calls", "up", \
                "w>d loss%", "d>w loss%", "cpu%", "idle%", "net%", "us/call/s", "calls/core", "client%", "late/skip", \
                "codecs", "ok"
        }
        {
            net = "-"; per = "-"; core = "-"
            if ($6 != "-" && $3 > 0) {
                n = $6 - $7; if (n < 0) n = 0
                net = sprintf("%.2f", n)
                per = sprintf("%.0f", n * 10000 / $3)
                core = n > 0 ? sprintf("%.0f", 100 * $3 / n) : "inf"
            }
            printf "%-13s %6s %4s %10s %10s %7s %6s %7s %10s %10s %8s %9s %-12s %s\n", $1, $2, $3, $4, $5, $6, $7, \
                net, per, core, $8, $9 "/" $10, $11, ($12 == "true" ? "yes" : "NO (exit " $13 ")")
        }' "$RESULTS"
} | tee "$OUT/results.txt"
