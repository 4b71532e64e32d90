#!/usr/bin/env bash
# Multi-week cycles against long runs (issue 18 part 2; figures in benches/README.md): a 3-week
# Andorra case (4 units, 34 stops, 20 home visits) and a 3-week Malta case (5 / 45 / 30) from
# `tournee scenario` (weekly, fortnightly and once-a-cycle stops as the scenario draws them), each
# planned once by `tournee plan --time-limit 10 --seed 1`, then 5 times at 10x the time (seeds 1
# to 5). Prints one row per plan (cost €, served priority, driving minutes, km, seconds the
# solve took, unserved, the checker's verdict), then per case the gap of the 10 s plan to the best of the long runs (cost
# and, since missed visits come first in the objective, the served priority beside it).
# TOURNEE_BIN picks the binary (default: a release build), SHORT and LONG the two time limits
# (10 and 100 s), OUT where scenarios and plans go (a temporary folder). Scenarios start on
# 2026-03-09 (no public holiday in the three weeks), so that they are the same whenever this runs.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${TOURNEE_BIN:-target/release/tournee}"
SHORT="${SHORT:-10}"
LONG="${LONG:-100}"
OSM=../shared/osm
[[ -x "$BIN" ]] || cargo build --release -p api
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
: >"$OUT/rows.tsv"

# name, extract, units, stops, home visits
CASES=(
    "andorra andorra-2021.osm.pbf 4 34 20"
    "malta malta-2016.osm.pbf 5 45 30"
)

# Served priority of a plan: the priorities of its visits, from the problem.
served_priority() { # problem, plan
    jq -n --slurpfile p "$1" --slurpfile plan "$2" '
        ([$p[0].stops[] | {key: ("stop/" + .id), value: (.priority // 50)}]
         + [$p[0].home_visits[] | {key: ("home_visit/" + .id), value: (.priority // 50)}])
        | from_entries as $prio
        | [$plan[0].routes[].steps[] | select(.type == "visit") | $prio[.kind + "/" + .id]] | add'
}

row() { # case, label, problem, plan
    local t verdict
    t=$(jq -r '"\(.totals.cost_eur)\t\(.totals.driving_min)\t\(.totals.distance_km)\t\(.solver.seconds * 10 | round / 10)"' "$4")
    verdict=$("$BIN" check "$3" "$4" 2>/dev/null | head -1 || true)
    [[ "$verdict" == "the plan keeps every rule"* ]] && verdict=ok
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(cut -f1 <<<"$t")" "$(served_priority "$3" "$4")" \
        "$(cut -f2- <<<"$t")" "$(jq '.unserved | length' "$4")	$verdict"
}

echo "# $BIN, short ${SHORT} s, long ${LONG} s; load $(cut -d' ' -f1 /proc/loadavg); $(date -u +%FT%TZ)"
printf 'case\trun\tcost_eur\tpriority\tdriving_min\tkm\tseconds\tunserved\tcheck\n'
for spec in "${CASES[@]}"; do
    read -r name extract units stops homes <<<"$spec"
    problem="$OUT/$name.json"
    [[ -s "$problem" ]] || "$BIN" scenario "$OSM/$extract" --units "$units" --weeks 3 \
        --stops "$stops" --home-visits "$homes" --seed 1 --start 2026-03-09 >"$problem" 2>/dev/null
    "$BIN" plan "$problem" --time-limit "$SHORT" --seed 1 >"$OUT/$name.short.json" 2>/dev/null
    row "$name" "${SHORT}s-seed1" "$problem" "$OUT/$name.short.json" | tee -a "$OUT/rows.tsv"
    for seed in 1 2 3 4 5; do
        "$BIN" plan "$problem" --time-limit "$LONG" --seed "$seed" >"$OUT/$name.long$seed.json" 2>/dev/null
        row "$name" "${LONG}s-seed$seed" "$problem" "$OUT/$name.long$seed.json" | tee -a "$OUT/rows.tsv"
    done
done

echo "# gap of the ${SHORT} s plan to the best ${LONG} s plan (best: most priority, then least cost); load $(cut -d' ' -f1 /proc/loadavg)"
printf 'case\tcost_gap_%%\tpriority short/best\tdriving short/best\n'
for spec in "${CASES[@]}"; do
    read -r name _ <<<"$spec"
    awk -F'\t' -v c="$name" -v s="${SHORT}s-seed1" '
        $1 == c && $2 == s { sc = $3; sp = $4; sd = $5 }
        $1 == c && $2 != s && (bp == "" || $4 > bp || ($4 == bp && $3 < bc)) { bc = $3; bp = $4; bd = $5 }
        END { printf "%s\t%+.2f\t%d/%d\t%d/%d\n", c, (sc / bc - 1) * 100, sp, bp, sd, bd }
    ' "$OUT/rows.tsv"
done
