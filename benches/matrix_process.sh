#!/usr/bin/env bash
# The whole `tournee matrix` process on Malta's 1,000 OSRM reference points (1,000 × 1,000, car,
# graph loaded from the cache), interleaved between two builds, median of RUNS (default 9)
# wall times each. BASELINE_BIN= an older build (default: none, only the current).
# Points farther than 500 m from a road are placed anyway (--snap-limit 5000), as OSRM does.
# Figures (quiet machine and shared-machine before/after runs): benches/README.md, "Road graphs
# and matrices".
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${TOURNEE_BIN:-target/release/tournee}"
BASE="${BASELINE_BIN:-}"
RUNS="${RUNS:-9}"
POINTS="${POINTS:-../shared/bench/routing/points-malta-1000.csv}"
EXTRACT="${EXTRACT:-../shared/osm/malta-2016.osm.pbf}"
[[ -x "$BIN" ]] || cargo build --release -p api
[[ -f "$POINTS" && -f "$EXTRACT" ]] || { echo "skipped: $POINTS or $EXTRACT not found"; exit 0; }

CACHE="$(mktemp -d)"
trap 'rm -rf "$CACHE"' EXIT
once() { # binary → seconds
    local start end
    start=$(date +%s.%N)
    "$1" matrix "$EXTRACT" --profile car --points "$POINTS" --snap-limit 5000 \
        --cache-dir "$CACHE/$(basename "$1")" --format csv >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bins=("$BIN")
[[ -n "$BASE" ]] && bins+=("$BASE")
for b in "${bins[@]}"; do once "$b" >/dev/null; done # fill the caches
declare -A times
for _ in $(seq "$RUNS"); do
    for b in "${bins[@]}"; do times[$b]+="$(once "$b") "; done
done
for b in "${bins[@]}"; do
    echo "$b: median $(echo "${times[$b]}" | tr ' ' '\n' | grep . | median) s over $RUNS runs"
done
