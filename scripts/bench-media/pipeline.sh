#!/usr/bin/env bash
# The per-frame cost of one anchored call, in memory (no sockets): BridgeSession doing both directions of a
# transcoded call (SRTP, jitter buffer, Opus <-> 8 kHz PCM, G.711, RTP) and of a pass-through call, then
# the instruction count of the pipeline next to libopus's own cost for the same frames, from callgrind in
# the same run (stable on a shared, noisy machine).
#
#   scripts/bench-media/pipeline.sh [frames, default 5000] [extra MediaPipelineBenchmark flags...]
#   e.g. scripts/bench-media/pipeline.sh 5000 --complexity 3
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_swift
cd "$PARLEY_ROOT"

frames="${1:-5000}"
shift || true
say "building MediaPipelineBenchmark (release)"
swift build --package-path Benchmarks -c release --scratch-path .build-bench --product MediaPipelineBenchmark
binary=.build-bench/release/MediaPipelineBenchmark

say "wall clock (one core; calls per core = 20 ms / time per frame)"
"$binary" --frames "$frames" "$@"
"$binary" --frames "$((frames * 4))" --mode pass-through "$@"

if ! command -v valgrind >/dev/null 2>&1; then
    say "valgrind not installed: skipping instruction counts"
    exit 0
fi
say "instructions per frame (callgrind, inclusive; difference of 1000 and 500 frames, / 500)"
# valgrind 3.19 cannot read the toolchain's DWARF 5 debug info: count on a copy without it.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
strip --strip-debug -o "$work/bench" "$binary"
# Inclusive Ir of the functions whose mangled or C name matches each pattern, summed.
inclusive() { # frames pattern
    callgrind_annotate --inclusive=yes "$work/cg.$1" 2>/dev/null |
        awk -v pattern="$2" '$0 ~ pattern { gsub(",", "", $1); sum += $1 } END { printf "%.0f\n", sum }'
}
for count in 500 1000; do
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$count" "$work/bench" --frames "$count" --quiet "$@" \
        >/dev/null 2>&1
done
# The bridge's entry points (receive and tick of BridgeSession) against libopus's (opus_encode, opus_decode).
bridge='BridgeB0C7receive_6length|BridgeB0C4tick3now'
opus='\\?\\?\\?:opus_(en|de)code \\['
pipeline=$(($(inclusive 1000 "$bridge") - $(inclusive 500 "$bridge")))
codec=$(($(inclusive 1000 "$opus") - $(inclusive 500 "$opus")))
awk -v p="$pipeline" -v o="$codec" 'BEGIN {
    printf "pipeline per frame (both directions): %.0f instructions\n", p / 500
    printf "libopus per frame (encode + decode):  %.0f instructions\n", o / 500
    printf "pipeline / libopus:                   %.3f\n", p / o
}'
