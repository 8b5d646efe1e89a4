# shellcheck shell=bash
# Load steps for the signalling benchmark, the same for any SIP server under test (Kamailio, Parley).
# Source it after scripts/lib.sh, then call sig_init; run-kamailio.sh shows the whole sequence.
#
# Users: the server must know user000..user<N-1> with password "secret" in domain "localhost"; each
# authenticates as userNNN + AUTH_SUFFIX (sig_init's fifth argument: empty for Kamailio, "-sip" for Parley,
# whose SIP clients use a device account of the user). The first half are callers (they REGISTER in the
# register load and send MESSAGE/INVITE), the second half callees (registered once, with their Contact at
# a sipp UAS). Every sipp binds to 127.0.0.1 (SIP, media and
# control sockets) and targets the server on loopback; every run is bounded by sipp's -timeout and by
# timeout(1).
#
# Knobs (environment):
#   BENCH_STEP_SECONDS   length of one load step at a fixed rate (default 10)
#   BENCH_START_RATE     first rate of the peak search, calls/s (default 500); doubled until a step fails,
#   BENCH_MAX_RATE       ... up to this rate (default 32000),
#   BENCH_BISECT         ... then this many bisections between the last good and the first bad rate (3)
#   BENCH_P99_LIMIT_MS   a step fails when the p99 of rtd2 (request with credentials -> 200) exceeds this (100)
#   BENCH_HOLD_MS        INVITE call hold time between ACK and BYE (default 1000)
#   BENCH_SETTLE_SECONDS pause between steps, longer after a failed one (default 2)
#   BENCH_REG_PORT, BENCH_UAC_PORT, BENCH_UAS_PORT   sipp's ports on 127.0.0.1 (5090, 5091, 5092)
#   BENCH_LOAD_CPUS      pin every sipp to these CPUs (taskset list, e.g. 1); default: not pinned
#   BENCH_IDLE_WAIT_SECONDS  before each peak search, wait up to this long for the machine to be idle (other
#                        work, e.g. a build, is under 10% of the CPUs); default 0: measure anyway, with a warning

SIG_SCENARIOS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scenarios"
SIG_STEP_SECONDS="${BENCH_STEP_SECONDS:-10}"
SIG_START_RATE="${BENCH_START_RATE:-500}"
SIG_MAX_RATE="${BENCH_MAX_RATE:-32000}"
SIG_BISECT="${BENCH_BISECT:-3}"
SIG_P99_LIMIT_MS="${BENCH_P99_LIMIT_MS:-100}"
SIG_HOLD_MS="${BENCH_HOLD_MS:-1000}"
SIG_SETTLE="${BENCH_SETTLE_SECONDS:-2}"
SIG_REG_PORT="${BENCH_REG_PORT:-5090}"
SIG_UAC_PORT="${BENCH_UAC_PORT:-5091}"
SIG_UAS_PORT="${BENCH_UAS_PORT:-5092}"
SIG_LOAD_CPUS="${BENCH_LOAD_CPUS:-}"

# sig_init OUT_DIR TARGET USERS SERVER_PID [AUTH_SUFFIX]: injection files in OUT_DIR for a server at TARGET
# (127.0.0.1:PORT) whose processes are SERVER_PID and its descendants (for CPU time per call). Every line
# ends with the digest username, userNNN + AUTH_SUFFIX (default empty): the same files and scenarios for
# every server, only that field differs.
sig_init() {
    SIG_OUT="$1"
    SIG_TARGET="$2"
    SIG_USERS="$3"
    SIG_SERVER_PID="$4"
    SIG_AUTH_SUFFIX="${5:-}"
    SIG_CLK_TCK="$(getconf CLK_TCK)"
    [[ "$SIG_TARGET" == 127.0.0.1:* ]] || die "target $SIG_TARGET is not on 127.0.0.1"
    ((SIG_USERS >= 2)) || die "need at least 2 users"
    command -v sipp >/dev/null 2>&1 || die "sipp not installed (apt-get install sip-tester)"
    mkdir -p "$SIG_OUT"
    local half=$((SIG_USERS / 2))
    # field0 the user, field1 the Contact's host:port (register) or the callee (pairs), field2 the auth username.
    awk -v n="$half" -v c="127.0.0.1:$SIG_REG_PORT" -v a="$SIG_AUTH_SUFFIX" 'BEGIN {
        print "SEQUENTIAL"; for (i = 0; i < n; i++) printf "user%03d;%s;user%03d%s\n", i, c, i, a
    }' >"$SIG_OUT/callers.csv"
    awk -v n="$half" -v c="127.0.0.1:$SIG_UAS_PORT" -v a="$SIG_AUTH_SUFFIX" 'BEGIN {
        print "SEQUENTIAL"; for (i = n; i < 2 * n; i++) printf "user%03d;%s;user%03d%s\n", i, c, i, a
    }' >"$SIG_OUT/callees.csv"
    awk -v n="$half" -v a="$SIG_AUTH_SUFFIX" 'BEGIN {
        print "SEQUENTIAL"; for (i = 0; i < n; i++) printf "user%03d;user%03d;user%03d%s\n", i, i + n, i, a
    }' >"$SIG_OUT/pairs.csv"
    : >"$SIG_OUT/results.tsv"
}

# Common sipp flags: loopback sockets only, 1 ms timer (response times in whole ms), 4 MiB socket buffers
# (the 64 KiB default drops bursts at a few thousand calls/s), statistics and every response time on file.
sig_sipp_flags() { # port
    printf '%s\n' -i 127.0.0.1 -bind_local -ci 127.0.0.1 -mi 127.0.0.1 -p "$1" -nostdin -timer_resol 1 \
        -buff_size 4194304
}

sig_pin() {
    if [[ -n "$SIG_LOAD_CPUS" ]]; then
        taskset -c "$SIG_LOAD_CPUS" "$@"
    else
        "$@"
    fi
}

# sig_uac DIR SCENARIO CSV PORT RATE CALLS [extra sipp flags]: one UAC run in DIR; exit code of sipp.
sig_uac() {
    local dir="$1" scenario="$2" csv="$3" port="$4" rate="$5" calls="$6"
    shift 6
    local limit=$((SIG_STEP_SECONDS * 4 + SIG_HOLD_MS / 1000 + 30))
    mkdir -p "$dir"
    local flags
    mapfile -t flags < <(sig_sipp_flags "$port")
    # sipp writes response times in blocks of -rtt_freq and drops the last partial block: keep it small.
    local start end rc=0 rtt_freq=$((calls >= 1000 ? 100 : 1))
    start="$(date +%s.%N)"
    (cd "$dir" && sig_pin timeout -k 5 $((limit + 15)) sipp -sf "$SIG_SCENARIOS/$scenario" -inf "$csv" "${flags[@]}" \
        -r "$rate" -m "$calls" -l 100000 -recv_timeout 5000 -timeout "$limit" \
        -trace_stat -stf stats.csv -fd 1 -trace_rtt -rtt_freq "$rtt_freq" "$@" "$SIG_TARGET" >screen.log 2>&1) || rc=$?
    end="$(date +%s.%N)"
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }' >"$dir/wall"
    return "$rc"
}

# sig_uas_start DIR SCENARIO: a sipp UAS on SIG_UAS_PORT in the background; its PID in SIG_UAS_PID.
sig_uas_start() {
    local dir="$1" scenario="$2"
    local limit=$((SIG_STEP_SECONDS * 4 + SIG_HOLD_MS / 1000 + 45))
    mkdir -p "$dir"
    local flags
    mapfile -t flags < <(sig_sipp_flags "$SIG_UAS_PORT")
    (cd "$dir" && exec timeout -k 5 $((limit + 15)) sipp -sf "$SIG_SCENARIOS/$scenario" "${flags[@]}" \
        -timeout "$limit" >uas-screen.log 2>&1) &
    SIG_UAS_PID=$!
    # Ready when its SIP socket is bound.
    local _
    for _ in $(seq 1 50); do
        ss -Hlun "sport = :$SIG_UAS_PORT" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    die "sipp UAS did not bind 127.0.0.1:$SIG_UAS_PORT (see $dir/uas-screen.log)"
}

sig_uas_stop() {
    [[ -n "${SIG_UAS_PID:-}" ]] || return 0
    kill -TERM "$SIG_UAS_PID" 2>/dev/null || true
    wait "$SIG_UAS_PID" 2>/dev/null || true
    SIG_UAS_PID=""
}

# sig_summary DIR: "ok failed retrans wall p50_1 p99_1 p50_2 p99_2 p50_3 p99_3 cpu other" of one UAC run:
# calls, retransmissions, seconds, response times in ms ("-" if not in the scenario), server CPU in us per
# call, other work on the machine during the step in % of one CPU.
sig_summary() {
    local dir="$1" stats
    stats="$(tail -n 1 "$dir/stats.csv" 2>/dev/null || true)"
    local counts
    if [[ -n "$stats" ]]; then
        # Columns of sipp's -trace_stat file: 16 SuccessfulCall(C), 18 FailedCall(C), 58 Retransmissions(C).
        counts="$(awk -F';' '{ print $16, $18, $58 }' <<<"$stats")"
    else
        counts="0 0 0"
    fi
    local pcts="" r values
    for r in 1 2 3; do
        values="$(cat "$dir"/*_rtt.csv 2>/dev/null | awk -F';' -v r="$r" '$1 != "Date_ms" && $3 == r { print $2 }' |
            sort -n)"
        if [[ -z "$values" ]]; then
            pcts+=" - -"
        else
            # Nearest-rank percentiles.
            pcts+=" $(awk '{ v[NR] = $1 } END {
                i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++
                i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++
                print v[i50], v[i99]
            }' <<<"$values")"
        fi
    done
    echo "$counts $(cat "$dir/wall" 2>/dev/null || echo 0)$pcts $(cat "$dir/cpu" 2>/dev/null || echo -)" \
        "$(cat "$dir/other" 2>/dev/null || echo -)"
}

# sig_cpu_ticks PID: user + system CPU time of PID and all its descendants (threads included), in ticks.
sig_cpu_ticks() {
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '{
        pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
        ppid[pid] = f[2]; t[pid] = f[12] + f[13]
    } END {
        tree[root] = 1; grown = 1
        while (grown) {
            grown = 0
            for (p in ppid) if (!(p in tree) && (ppid[p] in tree)) { tree[p] = 1; grown = 1 }
        }
        for (p in tree) s += t[p]
        print s + 0
    }'
}

# sig_busy_pct: how busy the whole machine is, in % of all CPUs over one second (before a step: other
# work on a machine with few cores makes the figures meaningless).
sig_busy_pct() {
    local a b
    a="$(head -n 1 /proc/stat)"
    sleep 1
    b="$(head -n 1 /proc/stat)"
    awk -v a="$a" -v b="$b" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        for (i = 2; i <= n; i++) { d = y[i] - x[i]; total += d; if (i == 5 || i == 6) idle += d }
        printf "%.0f\n", (total > 0 ? 100 * (total - idle) / total : 0)
    }'
}

# sig_machine_ticks: CPU ticks all processes of the machine spent (user, nice, system; not the kernel's
# interrupt and softirq time, which loopback traffic itself causes, nor steal).
sig_machine_ticks() {
    awk '/^cpu / { print $2 + $3 + $4; exit }' /proc/stat
}

# sig_children_ticks: CPU ticks of this shell's finished children (sipp runs), from the times builtin.
sig_children_ticks() {
    times | awk -v hz="$SIG_CLK_TCK" 'NR == 2 {
        t = 0
        for (i = 1; i <= 2; i++) { split($i, m, "m"); sub(/s$/, "", m[2]); t += m[1] * 60 + m[2] }
        printf "%.0f\n", t * hz
    }'
}

# sig_wait_idle: wait (up to BENCH_IDLE_WAIT_SECONDS, default 0) until the machine is under 10% busy;
# warns and records it in SIG_BUSY_NOTE when it is not.
sig_wait_idle() {
    local deadline=$((SECONDS + ${BENCH_IDLE_WAIT_SECONDS:-0})) busy
    while :; do
        busy="$(sig_busy_pct)"
        ((busy < 10)) && return 0
        ((SECONDS < deadline)) || break
        sleep 4
    done
    warn "the machine is ${busy}% busy with other work before this step: figures will be low and noisy"
    SIG_BUSY_NOTE="${SIG_BUSY_NOTE:-}${SIG_BUSY_NOTE:+, }${busy}% before $1"
}

# sig_register_callees: REGISTER the callees with their Contact at the UAS port (must all succeed).
sig_register_callees() {
    local dir="$SIG_OUT/register-callees" half=$((SIG_USERS / 2))
    sig_uac "$dir" register-digest.xml "$SIG_OUT/callees.csv" "$SIG_REG_PORT" 500 "$half" -auth_uri localhost ||
        die "registering the $half callees failed: $(sig_summary "$dir") (see $dir/screen.log)"
    say "registered $half callees at 127.0.0.1:$SIG_UAS_PORT"
}

# sig_step NAME RATE CALLS DIR: one run of scenario NAME (register|message|invite); prints its summary and
# returns 0 when every call succeeded.
sig_step() {
    local name="$1" rate="$2" calls="$3" dir="$4" rc=0 ticks machine children
    rm -rf "$dir"
    mkdir -p "$dir"
    ticks="$(sig_cpu_ticks "$SIG_SERVER_PID")"
    machine="$(sig_machine_ticks)"
    children="$(sig_children_ticks)"
    case "$name" in
        register)
            sig_uac "$dir" register-digest.xml "$SIG_OUT/callers.csv" "$SIG_REG_PORT" "$rate" "$calls" \
                -auth_uri localhost || rc=$?
            ;;
        message)
            sig_uas_start "$dir" message-uas.xml
            sig_uac "$dir" message-uac.xml "$SIG_OUT/pairs.csv" "$SIG_UAC_PORT" "$rate" "$calls" || rc=$?
            sleep 0.5
            sig_uas_stop
            ;;
        invite)
            sig_uas_start "$dir" invite-uas.xml
            # A proxy with several workers may pass the 200 before the 180 (UDP, legal): a late 180 must
            # not abort the call, so sipp ignores unexpected messages here (a missing 200 still fails).
            sig_uac "$dir" invite-uac.xml "$SIG_OUT/pairs.csv" "$SIG_UAC_PORT" "$rate" "$calls" -d "$SIG_HOLD_MS" \
                -default_behaviors all,-abortunexp || rc=$?
            sleep 0.5
            sig_uas_stop
            ;;
        *) die "unknown scenario $name" ;;
    esac
    ticks=$(($(sig_cpu_ticks "$SIG_SERVER_PID") - ticks))
    machine=$(($(sig_machine_ticks) - machine))
    children=$(($(sig_children_ticks) - children))
    awk -v t="$ticks" -v hz="$SIG_CLK_TCK" -v n="$calls" 'BEGIN { printf "%.0f\n", t / hz * 1e6 / n }' >"$dir/cpu"
    # Other work during the step, in % of one CPU: the machine's busy time less the server's and sipp's.
    awk -v m="$machine" -v t="$ticks" -v c="$children" -v hz="$SIG_CLK_TCK" -v w="$(cat "$dir/wall")" \
        'BEGIN { o = (m - t - c) / hz / w * 100; printf "%.0f\n", (o < 0 ? 0 : o) }' >"$dir/other"
    sig_summary "$dir"
    return "$rc"
}

# sig_check NAME: the functional check, 50 calls at 10/s; dies unless all succeed.
sig_check() {
    local name="$1" dir="$SIG_OUT/check-$1" summary
    if summary="$(sig_step "$name" 10 50 "$dir")"; then
        say "check $name: 50/50 calls at 10/s ($summary)"
    else
        die "check $name failed: $summary (see $dir/screen.log)"
    fi
}

# sig_judge NAME RATE CALLS SUMMARY: 0 when the step held: all calls succeeded, none failed, the p99 of
# rtd2 (the request with credentials -> 200) within the limit, and the run did not take much longer than the calls' schedule.
sig_judge() {
    local name="$1" rate="$2" calls="$3" summary="$4"
    awk -v s="$summary" -v calls="$calls" -v rate="$rate" -v lim="$SIG_P99_LIMIT_MS" \
        -v hold="$([[ "$name" == invite ]] && echo "$SIG_HOLD_MS" || echo 0)" 'BEGIN {
        split(s, f, " ")
        ok = f[1]; failed = f[2]; wall = f[4]; p99 = f[8]
        if (ok != calls || failed != 0) exit 1
        if (p99 == "-" || p99 + 0 > lim) exit 1
        if (wall > calls / rate * 1.1 + hold / 1000 + 3) exit 1
        exit 0
    }'
}

# sig_peak NAME: the highest rate (calls/s) that holds for BENCH_STEP_SECONDS: doubling from
# BENCH_START_RATE, then bisecting. Appends "NAME rate summary" of the best step to results.tsv.
sig_peak() {
    local name="$1" rate="$SIG_START_RATE" good=0 bad=0 good_summary="" summary calls i
    sig_wait_idle "$name"
    while ((rate <= SIG_MAX_RATE)); do
        calls=$((rate * SIG_STEP_SECONDS))
        summary="$(sig_step "$name" "$rate" "$calls" "$SIG_OUT/$name-$rate")" || true
        if sig_judge "$name" "$rate" "$calls" "$summary"; then
            say "$name $rate/s held ($summary)"
            good="$rate"
            good_summary="$summary"
            rate=$((rate * 2))
            sleep "$SIG_SETTLE"
        else
            say "$name $rate/s did not hold ($summary)"
            bad="$rate"
            sleep $((SIG_SETTLE + 5))
            break
        fi
    done
    if ((bad > 0 && good > 0)); then
        for ((i = 0; i < SIG_BISECT; i++)); do
            rate=$(((good + bad) / 2 / 50 * 50))
            ((rate > good && rate < bad)) || break
            calls=$((rate * SIG_STEP_SECONDS))
            summary="$(sig_step "$name" "$rate" "$calls" "$SIG_OUT/$name-$rate")" || true
            if sig_judge "$name" "$rate" "$calls" "$summary"; then
                say "$name $rate/s held ($summary)"
                good="$rate"
                good_summary="$summary"
                sleep "$SIG_SETTLE"
            else
                say "$name $rate/s did not hold ($summary)"
                bad="$rate"
                sleep $((SIG_SETTLE + 5))
            fi
        done
    fi
    if ((good == 0)); then
        say "$name: not even $SIG_START_RATE/s held"
        good_summary="0 0 0 0 - - - - - - - -"
    fi
    printf '%s\t%s\t%s\n' "$name" "$good" "$good_summary" >>"$SIG_OUT/results.tsv"
}

# sig_table [WS_RESULT_LINE]: the results table from results.tsv (and the WebSocket probe's RESULT line).
sig_table() {
    local ws="${1:-}"
    printf '\n%-10s %8s %8s %7s %8s %13s %13s %13s %12s %7s\n' scenario "peak/s" calls failed retrans \
        "rtd1 p50/p99" "rtd2 p50/p99" "rtd3 p50/p99" "CPU us/call" "other%"
    while IFS=$'\t' read -r name rate summary; do
        # shellcheck disable=SC2086
        set -- $summary
        printf '%-10s %8s %8s %7s %8s %13s %13s %13s %12s %7s\n' "$name" "$rate" "$1" "$2" "$3" "$5/$6" "$7/$8" \
            "$9/${10}" "${11}" "${12}"
    done <"$SIG_OUT/results.tsv"
    echo "(calls/s with 0 failed calls and p99 <= ${SIG_P99_LIMIT_MS} ms over ${SIG_STEP_SECONDS} s;" \
        "response times in ms at sipp's 1 ms resolution, 0 = under 1 ms;"
    echo " rtd1 = request -> 401/407 challenge, rtd2 = request with credentials -> 200, rtd3 = BYE -> 200;" \
        "a REGISTER or MESSAGE 'call' is 2 transactions, an INVITE call 3 (INVITE/407/ACK, INVITE/200/ACK, BYE);"
    echo " CPU us/call = the server's user+system CPU time during the step / calls: the load generator shares" \
        "the machine, so compare this as well as peak/s;"
    echo " other% = CPU used by anything else during that step, in % of one CPU: above ~10 the step was disturbed)"
    if [[ -n "${SIG_BUSY_NOTE:-}" ]]; then
        echo "WARNING: other work was running on the machine (${SIG_BUSY_NOTE}): these figures are not comparable"
    fi
    if [[ -n "$ws" ]]; then
        # "RESULT key=value ..." from ws_register_probe.py.
        local kv k v
        declare -A r=()
        for kv in ${ws#RESULT }; do
            k="${kv%%=*}" v="${kv#*=}"
            r[$k]="$v"
        done
        echo
        printf 'WebSocket: %s idle registered connections (%s failed), per connection: PSS +%s KiB, RSS +%s KiB' \
            "${r[connections]:-?}" "${r[failed]:-?}" "${r[pss_per_conn_kib]:-?}" "${r[rss_per_conn_kib]:-?}"
        [[ -n "${r[shm_per_conn_kib]:-}" ]] && printf ', Kamailio shm +%s KiB' "${r[shm_per_conn_kib]}"
        printf '\n(PSS and RSS summed over the server'"'"'s processes; PSS counts a shared page once, RSS once per process)\n'
    fi
}
