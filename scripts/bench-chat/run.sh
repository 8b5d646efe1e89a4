#!/usr/bin/env bash
# Chatroom fan-out benchmark (issue 6): MEMBERS WebSocket clients in one room; random members send room
# messages at increasing rates; Parley stores each one (SQLite, WAL, group commit) before it answers 200
# and delivers it to every other member. Reported per rate: delivered messages/s, delivery latency p50/p99
# (send to arrival at a member), and Parley's CPU time per delivery. The baseline, measured in the same
# run on the same server and clients, is 1:1 MESSAGE (also stored, then delivered to one device) at the
# same delivered rate: the ratio says what a room delivery costs against a private one.
#
#   scripts/bench-chat/run.sh [--quick]
#
# Knobs: BENCH_MEMBERS (default 100), BENCH_ROOM_RATES (room messages/s, default "25 50 75 100"),
# BENCH_SECONDS per step (default 10), BENCH_OUT, PARLEY_WS_PORT (default 5081), BENCH_SERVER_CPUS
# (taskset list to pin Parley, e.g. 0), BENCH_MAX_SECONDS (default 900). Loopback only; everything it
# starts is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$HERE/../lib.sh"

QUICK=0
case "${1:-}" in
    --quick) QUICK=1 ;;
    "") ;;
    -h | --help)
        sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (try --help)" ;;
esac
if [[ -z "${CHAT_UNDER_TIMEOUT:-}" ]]; then
    CHAT_UNDER_TIMEOUT=1 exec timeout -k 15 "${BENCH_MAX_SECONDS:-900}" "$0" "$@"
fi
require_swift

OUT="${BENCH_OUT:-$(mktemp -d /tmp/parley-chatbench.XXXXXX)}"
mkdir -p "$OUT"
MEMBERS="${BENCH_MEMBERS:-$([[ $QUICK -eq 1 ]] && echo 20 || echo 100)}"
RATES="${BENCH_ROOM_RATES:-$([[ $QUICK -eq 1 ]] && echo "20" || echo "25 50 75 100")}"
SECONDS_PER_STEP="${BENCH_SECONDS:-$([[ $QUICK -eq 1 ]] && echo 3 || echo 10)}"
WS_PORT="${PARLEY_WS_PORT:-5081}"
[[ -z "$(ss -Hltn "sport = :$WS_PORT")" ]] || die "TCP port $WS_PORT is in use"

cd "$PARLEY_ROOT"
say "building parley and the load client (release)"
swift build -c release --product parley >"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"
swift build -c release --package-path Benchmarks --product SIPLoadClient >>"$OUT/build.log" 2>&1 ||
    die "load client build failed (see $OUT/build.log)"
PARLEY="$PARLEY_ROOT/.build/release/parley"
LOADER="$PARLEY_ROOT/Benchmarks/.build/release/SIPLoadClient"

DATA="$OUT/parley-data"
rm -rf "$DATA"
say "provisioning $MEMBERS users (device accounts NAME-sip) in room 'bench'"
awk -v n="$MEMBERS" 'BEGIN { for (i = 0; i < n; i++) printf "chat%04d,secret\n", i }' >"$OUT/users.csv"
"$PARLEY" user import "$OUT/users.csv" --device-suffix=-sip --data-dir "$DATA" >/dev/null
"$PARLEY" room create bench --data-dir "$DATA" >/dev/null
for ((i = 0; i < MEMBERS; i++)); do
    "$PARLEY" room member add bench "$(printf 'chat%04d' "$i")" --data-dir "$DATA" >/dev/null
done

PARLEY_PID=""
# Every run starts from the provisioned store: messages queued by one run (unanswered under overload) must
# not be delivered into the next one.
RUN_DATA="$OUT/run-data"
start_parley() {
    rm -rf "$RUN_DATA"
    cp -a "$DATA" "$RUN_DATA"
    local -a cmd=("$PARLEY" serve --data-dir "$RUN_DATA" --sip-udp off --sip-tcp off --sip-tls off --https off
        --sip-ws "127.0.0.1:$WS_PORT")
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
trap stop_parley EXIT
trap 'exit 143' TERM INT

# CPU ticks (utime + stime) of one process.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
tick_ms="$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1000 / hz }')"

# One load client run against a fresh server: prints its result line, and Parley's CPU ms over the run.
measure() { # label, loader arguments...
    local label="$1"
    shift
    start_parley
    local before after
    before="$(cpu_ticks "$PARLEY_PID")"
    "$LOADER" --port "$WS_PORT" --clients "$MEMBERS" --user-prefix chat --user-digits 4 --auth-suffix -sip \
        --message-seconds "$SECONDS_PER_STEP" "$@" >"$OUT/$label.log" 2>&1 || die "load client failed (see $OUT/$label.log)"
    after="$(cpu_ticks "$PARLEY_PID")"
    stop_parley
    grep -E '^(room|message):' "$OUT/$label.log" | tail -1
    awk -v t="$((after - before))" -v ms="$tick_ms" 'BEGIN { printf "%.0f\n", t * ms }'
}

say "Parley $("$PARLEY" --version); $MEMBERS members; $SECONDS_PER_STEP s per step; results in $OUT"
printf '%-10s %12s %10s %10s %14s %14s\n' "room msg/s" "delivered/s" "p50 ms" "p99 ms" "CPU us/deliv" "vs 1:1 CPU" |
    tee "$OUT/results.txt"
for rate in $RATES; do
    room_result="$(measure "room-$rate" --room bench --room-rate "$rate")"
    room_line="$(head -1 <<<"$room_result")"
    room_cpu="$(tail -1 <<<"$room_result")"
    delivered="$(sed -E 's/.*deliveries in [0-9.]+ s \(([0-9]+) delivered\/s\).*/\1/' <<<"$room_line")"
    count="$(sed -E 's/.*; ([0-9]+) of [0-9]+ deliveries.*/\1/' <<<"$room_line")"
    p50="$(sed -E 's/.*delivery p50 ([0-9.]+) ms.*/\1/' <<<"$room_line")"
    p99="$(sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' <<<"$room_line")"
    # Baseline: 1:1 MESSAGE at the same delivered rate (each one stored and delivered to one device).
    base_result="$(measure "private-$rate" --message-rate "$delivered")"
    base_line="$(head -1 <<<"$base_result")"
    base_cpu="$(tail -1 <<<"$base_result")"
    base_count="$(sed -E 's/.* ([0-9]+) delivered,.*/\1/' <<<"$base_line")"
    awk -v rate="$rate" -v d="$delivered" -v p50="$p50" -v p99="$p99" -v cpu="$room_cpu" -v n="$count" \
        -v bcpu="$base_cpu" -v bn="$base_count" 'BEGIN {
            per = n > 0 ? cpu * 1000 / n : 0; bper = bn > 0 ? bcpu * 1000 / bn : 0
            printf "%-10s %12s %10s %10s %14.1f %14s\n", rate, d, p50, p99, per, (bper > 0 ? sprintf("%.2fx", per / bper) : "-")
        }' | tee -a "$OUT/results.txt"
    echo "  room:     $room_line" >>"$OUT/results.txt"
    echo "  baseline: $base_line (Parley CPU $base_cpu ms)" >>"$OUT/results.txt"
done
say "done: $OUT/results.txt"
