#!/usr/bin/env bash
# Peak memory of `tournee serve` planning large problems (figures in benches/README.md): a
# week of 4 units (bus, car, camping-car, car), 40 stops and N home visits on Malta, the size
# limit raised for the measurement. For each case a fresh service plans the job(s) and its
# peak resident memory (VmHWM, the whole process) is read once they are done:
#  - 3,000 and 8,000 home visits, one job;
#  - two 8,000-visit jobs at once on two workers.
# "per cell" is (peak - idle) / places², places = depots + stops + home visits.
# BASELINE_BIN names an older build measured in the same run (its column is left out when
# unset); TOURNEE_BIN the build under test (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${TOURNEE_BIN:-target/release/tournee}"
BASELINE="${BASELINE_BIN:-}"
EXTRACT="${EXTRACT:-../shared/osm/malta-2016.osm.pbf}"
[[ -x "$BIN" ]] || cargo build --release -p api
[[ -f "$EXTRACT" ]] || { echo "skipped: $EXTRACT not found"; exit 0; }
TERRITORY="$(basename "$EXTRACT" .osm.pbf)"

WORK="$(mktemp -d)"
SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
CACHE="$WORK/../tournee-bench-cache"

# The week with `homes` home visits, naming the loaded territory.
problem() {
    "$BIN" scenario "$EXTRACT" --units 4 --stops 40 --home-visits "$1" --seed 1 \
        --time-limit 10 --cache-dir "$CACHE" 2>/dev/null |
        python3 -c "import json,sys; p=json.load(sys.stdin); p['territory']={'extract':'$TERRITORY'}; print(json.dumps(p))"
}
problem 3000 >"$WORK/3000.json"
problem 8000 >"$WORK/8000.json"

kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }

# Starts `bin`, runs `copies` jobs of `file` at once, prints "idle_kib peak_kib".
measure() {
    local bin="$1" file="$2" copies="$3" limit=() url ids=()
    "$bin" serve --help | grep -q -- --max-places && limit=(--max-places 20000)
    "$bin" serve --listen 127.0.0.1:0 --data "$WORK/data-$RANDOM" --cache-dir "$CACHE" \
        --osm "$EXTRACT" --workers 2 "${limit[@]}" >"$WORK/out" 2>"$WORK/log" &
    SERVER=$!
    until grep -q listening "$WORK/out"; do sleep 0.1; done
    url="$(sed -n 's/listening on //p' "$WORK/out")"
    until curl -fs "$url/readyz" >/dev/null; do sleep 0.2; done
    local idle
    idle="$(kib "$SERVER" VmRSS)"
    for _ in $(seq "$copies"); do
        ids+=("$(curl -fs -XPOST "$url/v1/plans" -H 'content-type: application/json' \
            --data-binary @"$file" | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")")
    done
    for id in "${ids[@]}"; do
        local status=""
        until [[ "$status" == done || "$status" == failed ]]; do
            status="$(curl -fs "$url/v1/plans/$id?wait=20" |
                python3 -c "import json,sys; print(json.load(sys.stdin)['status'])")"
        done
        [[ "$status" == done ]] || { echo "job $id failed" >&2; exit 1; }
    done
    echo "$idle $(kib "$SERVER" VmHWM)"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
}

row() { # label homes copies bin
    local places=$(($2 + 40 + 4)) idle peak
    read -r idle peak < <(measure "$4" "$WORK/$2.json" "$3")
    python3 -c "
idle, peak, places = $idle * 1024, $peak * 1024, $places
print(f'| $1 | {places:,} | {peak / 1e9:.2f} GB | {idle / 1e6:.0f} MB | {(peak - idle) / places**2:.1f} |')"
}

echo "== $TERRITORY, 4 units, 40 stops; peak resident memory of the service"
for bin in "$BIN" $BASELINE; do
    echo
    echo "$bin ($("$bin" --version))"
    echo "| case | places | peak | idle | bytes per cell |"
    echo "|---|---:|---:|---:|---:|"
    row "3,000 home visits" 3000 1 "$bin"
    row "8,000 home visits" 8000 1 "$bin"
    row "two jobs of 8,000 on two workers" 8000 2 "$bin"
done
