#!/usr/bin/env bash
# Memory of `tournee serve` holding one territory, for sizing instances: for each extract
# given (default: the shared ones), start the service on it with a graph cache that a first
# start filled, wait until it is ready (every vehicle profile's network and the points of
# interest loaded), and print its peak and resident memory and the ratio to the file's size.
#
#   cargo build --release -p api
#   benches/territory_memory.sh [EXTRACT.osm.pbf ...]
# TOURNEE_BIN overrides the binary (default target/release/tournee).
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${TOURNEE_BIN:-target/release/tournee}"
shared="../shared/osm"
if [[ $# -eq 0 ]]; then
    set -- "$shared/monaco-2020.osm.pbf" "$shared/andorra-2021.osm.pbf" \
        "$shared/liechtenstein-2021.osm.pbf" "$shared/malta-2016.osm.pbf"
fi
work="$(mktemp -d /tmp/tournee-territory-memory.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Starts the service on $1 with the cache under $work, waits for /readyz; prints the pid.
start() {
    local log="$work/log" url=""
    "$bin" serve --listen 127.0.0.1:0 --data "$work/data" --cache-dir "$work/cache" \
        --osm "$1" > "$log" 2>/dev/null &
    local pid=$!
    for _ in $(seq 1 3000); do
        url="$(sed -n 's/^listening on //p' "$log")"
        if [[ -n "$url" ]] && curl -sf "$url/readyz" > /dev/null; then
            echo "$pid"
            return
        fi
        sleep 0.2
    done
    echo "not ready: $1" >&2
    exit 1
}

kib() { awk -v key="$1:" '$1 == key {print $2}' "/proc/$2/status"; }

echo "load average before: $(cut -d' ' -f1 /proc/loadavg)"
echo "| extract | file MB | ready from cache s | peak RSS MB | RSS MB | peak / file |"
echo "|---|---:|---:|---:|---:|---:|"
for extract in "$@"; do
    [[ -f "$extract" ]] || { echo "skipped: $extract is absent" >&2; continue; }
    rm -rf "$work/data"
    pid="$(start "$extract")"   # the first start fills the graph cache
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$work/data"
    began="$(date +%s.%N)"
    pid="$(start "$extract")"
    ready="$(echo "$(date +%s.%N) - $began" | bc)"
    peak="$(kib VmHWM "$pid")"; rss="$(kib VmRSS "$pid")"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    size="$(stat -c %s "$extract")"
    awk -v name="$(basename "$extract" .osm.pbf)" -v size="$size" -v ready="$ready" \
        -v peak="$peak" -v rss="$rss" 'BEGIN {
        printf "| %s | %.1f | %.1f | %.0f | %.0f | %.0f× |\n",
            name, size / 1e6, ready, peak / 1024, rss / 1024, peak * 1024 / size }'
done
