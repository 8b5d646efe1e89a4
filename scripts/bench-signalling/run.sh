#!/usr/bin/env bash
# The signalling benchmark: Kamailio (the reference) and Parley measured the same way in the same run,
# one after the other on the same ports, then Parley/Kamailio ratios. Installs Kamailio from Debian if
# it is missing. Loopback only, bounded, everything stopped by PID.
#
#   scripts/bench-signalling/run.sh            full run (about 25 minutes on 2 cores)
#   scripts/bench-signalling/run.sh --quick    the probes and the 10 calls/s checks only
#
# For steadier figures give the server one core and sipp the other:
#   BENCH_SERVER_CPUS=0 BENCH_LOAD_CPUS=1 scripts/bench-signalling/run.sh
# Knobs: see run-kamailio.sh, run-parley.sh and signalling-lib.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$HERE/../lib.sh"

case "${1:-}" in
    "" | --quick) ;;
    -h | --help)
        sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (try --help)" ;;
esac

if ! command -v kamailio >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1 ||
    [[ ! -e /usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so && ! -e /usr/lib/kamailio/modules/websocket.so ]]; then
    say "installing Kamailio (Debian packages)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update >/dev/null
    # Do not let the package start its own instance on every interface.
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends \
        kamailio kamailio-websocket-modules kamailio-sqlite-modules sqlite3 >/dev/null
fi

OUT="${BENCH_OUT:-$(mktemp -d /tmp/parley-sigbench.XXXXXX)}"
mkdir -p "$OUT/kamailio" "$OUT/parley"
say "results in $OUT"
BENCH_OUT="$OUT/kamailio" KAMAILIO_DIR="$OUT/kamailio/state" "$HERE/run-kamailio.sh" "$@"
BENCH_OUT="$OUT/parley" "$HERE/run-parley.sh" "$@"

python3 - "$OUT" <<'PY' | tee "$OUT/ratios.txt"
import sys, re, pathlib
out = pathlib.Path(sys.argv[1])
def peaks(side):
    rows = {}
    path = out / side / "results.tsv"
    for line in path.read_text().splitlines() if path.exists() else []:
        name, rate, summary = line.split("\t")
        fields = summary.split()
        rows[name] = (int(rate), fields[10] if len(fields) > 10 else "-")
    return rows
def probe(side):
    path = out / side / "ws-probe.log"
    for line in reversed(path.read_text().splitlines() if path.exists() else []):
        if line.startswith("RESULT "):
            return dict(kv.split("=", 1) for kv in line[7:].split())
    return {}
k, p = peaks("kamailio"), peaks("parley")
print("\nParley / Kamailio, same machine, same run")
print(f"{'scenario':10} {'Kamailio/s':>11} {'Parley/s':>9} {'ratio':>6} {'Kamailio us/call':>17} {'Parley us/call':>15} {'ratio':>6}")
for name in ("register", "message", "invite"):
    if name in k and name in p:
        (kr, kc), (pr, pc) = k[name], p[name]
        rate_ratio = f"{pr / kr:.2f}" if kr else "-"
        cpu_ratio = f"{float(pc) / float(kc):.2f}" if kc not in "-0" and pc not in "-0" else "-"
        print(f"{name:10} {kr:>11} {pr:>9} {rate_ratio:>6} {kc:>17} {pc:>15} {cpu_ratio:>6}")
kw, pw = probe("kamailio"), probe("parley")
if kw and pw:
    kp, pp = float(kw.get("pss_per_conn_kib", "nan")), float(pw.get("pss_per_conn_kib", "nan"))
    print(f"WebSocket memory per idle registered connection (PSS): Kamailio {kp:.1f} KiB, Parley {pp:.1f} KiB,"
          f" ratio {pp / kp:.2f}")
PY
