#!/usr/bin/env bash
# Region scale (issue 14): Malta copied 8 × 8 (164 MB, the size of a French region's extract,
# made once by ../shared/tools/tile_extract.py into /tmp, never into the repository), then:
#  - import + preparation of each vehicle profile, `tournee import --json` into an empty cache
#    under /usr/bin/time -v: wall, peak RSS and the import's own stage times (read, build, turn
#    expansion, contraction), writing the cache file included; then every profile in one call
#    (`--profile car,bus,…`: one read of the extract), wall, CPU and peak RSS;
#  - each profile's cache file size;
#  - a 1,000 × 1,000 car matrix on points spread over every copy (the speed example, graph
#    loaded from that cache: load and matrix timed in-process);
#  - the memory (VmHWM, VmRSS) of `tournee serve --osm` once every profile is loaded from that
#    cache: at its first start (a profile the imports did not build, such as the walkers'
#    network, is built then) and at a second one, which finds every network in the cache.
# Prints one markdown table with the targets, and `uptime` (the machine is shared). MB are
# 10^6 bytes throughout, as in the file size the ratios divide by (until 2026-12-07 the peaks
# were MiB, which overstated nothing but understated each ratio by 4.6 %).
# K=2 makes a smaller grid for a quick check; EXTRACT= an existing file skips the tiling.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${TOURNEE_BIN:-target/release/tournee}"
K="${K:-8}"
SOURCE="${SOURCE:-../shared/osm/malta-2016.osm.pbf}"
EXTRACT="${EXTRACT:-/tmp/malta${K}x${K}.osm.pbf}"
PROFILES="${PROFILES:-car bus camping_car triporteur}"
[[ -x "$BIN" ]] || cargo build --release -p api
[[ -f "$SOURCE" ]] || { echo "skipped: $SOURCE not found"; exit 0; }
[[ -f "$EXTRACT" ]] || python3 ../shared/tools/tile_extract.py "$SOURCE" "$K" "$EXTRACT"
SPEED=target/release/examples/speed
# Always (a no-op when fresh): a stale example computes another cache key and rebuilds the graph.
cargo build --release -p osm-data --example speed

WORK="$(mktemp -d)"
SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
FILE_MB="$(python3 -c "import os; print(f'{os.path.getsize(\"$EXTRACT\") / 1e6:.1f}')")"

# `/usr/bin/time -v` output → "wall_s peak_mb cpu_s" (CPU: user + system, every thread; on a
# shared machine the steadier figure).
wall_rss() {
    python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
clock = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
h, m, s = clock.groups()
wall = int(h or 0) * 3600 + int(m) * 60 + float(s)
kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", text).group(1)) for kind in ("User", "System"))
print(f"{wall:.1f} {kib * 1024 / 1e6:.0f} {cpu:.1f}")
EOF
}
# `tournee import --json` → "turn_nodes shortcuts read build turns contract".
stages() {
    python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
r = r[0] if isinstance(r, list) else r
g = r['graph']
print(g['turn_nodes'], r['shortcuts'], r['read_time'], g['build_time'], g.get('turn_time', 0), r['contract_time'])
" "$1"
}

echo "extract: $EXTRACT ($FILE_MB MB); $(uptime)"
echo
echo "| profile | turn nodes | shortcuts | read s | build s (of which turns) | contraction s | wall s | CPU s | peak RSS MB | RSS / file |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for profile in $PROFILES; do
    /usr/bin/time -v "$BIN" import "$EXTRACT" --profile "$profile" --cache-dir "$WORK/cache" --json \
        >"$WORK/$profile.json" 2>"$WORK/$profile.time"
    read -r wall peak cpu < <(wall_rss "$WORK/$profile.time")
    read -r nodes shortcuts read build turns contract < <(stages "$WORK/$profile.json")
    printf '| %s | %s | %s | %.1f | %.1f (%.1f) | %.1f | %s | %s | %s | %.1f× |\n' "$profile" \
        "$nodes" "$shortcuts" "$read" "$build" "$turns" "$contract" "$wall" "$cpu" "$peak" \
        "$(echo "$peak / $FILE_MB" | bc -l)"
done
echo "uptime after the imports: $(uptime)"

# Every profile in one call: one read of the extract, the graphs contracted one at a time.
TOGETHER="${PROFILES// /,}"
/usr/bin/time -v "$BIN" import "$EXTRACT" --profile "$TOGETHER" --cache-dir "$WORK/together" \
    --json >"$WORK/together.json" 2>"$WORK/together.time"
read -r wall peak cpu < <(wall_rss "$WORK/together.time")
rm -rf "$WORK/together"
printf 'one call, --profile %s: wall %s s, CPU %s s, peak RSS %s MB (%.1f× the file)\n' \
    "$TOGETHER" "$wall" "$cpu" "$peak" "$(echo "$peak / $FILE_MB" | bc -l)"

# The service holding the territory with every profile, from the cache the imports wrote.
serve() { # label → "seconds to ready, VmHWM MB, VmRSS MB (anonymous, file-backed)"
    local start
    start=$(date +%s.%N)
    "$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data-$1" --cache-dir "$WORK/cache" \
        --osm "$EXTRACT" >"$WORK/out-$1" 2>"$WORK/log-$1" &
    SERVER=$!
    until grep -q listening "$WORK/out-$1"; do sleep 0.5; done
    local url
    url="$(sed -n 's/listening on //p' "$WORK/out-$1")"
    until curl -fs "$url/readyz" >/dev/null; do sleep 0.5; done
    local ready hwm rss anon file
    ready="$(echo "$(date +%s.%N) - $start" | bc)"
    status() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$SERVER/status"; }
    hwm="$(status VmHWM)"
    rss="$(status VmRSS)"
    anon="$(status RssAnon)"
    file="$(status RssFile)"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    printf '%.1f s to ready, VmHWM %d MB, VmRSS %d MB (anonymous %d MB, mapped files %d MB)\n' \
        "$ready" "$((hwm * 1024 / 1000000))" "$((rss * 1024 / 1000000))" "$((anon * 1024 / 1000000))" "$((file * 1024 / 1000000))"
}
echo
# The first start also builds, into the cache, the networks the imports did not (the walkers');
# the second finds every one there, as a service restarted on a prepared territory does.
echo "tournee serve --osm, first start after the imports: $(serve first)"
echo "tournee serve --osm, every network from the cache: $(serve again)"
for graph in "$WORK"/cache/*.graph; do # <extract>.<profile>.<key>.graph
    echo "cache file, $(basename "$graph" | cut -d. -f2): $(( $(stat -c %s "$graph") / 1000000 )) MB"
done
echo "$(uptime)"

# The car graph loaded from that cache, then the 1,000 × 1,000 matrix, timed in-process.
"$SPEED" "$EXTRACT" --cache-dir "$WORK/cache"
echo "targets: every profile ≤ 60 s in all on 2 cores, peak RSS ≤ 6 × file, 1,000 × 1,000 car matrix ≤ 0.3 s, cache load ≤ 2 s"
echo "$(uptime)"
