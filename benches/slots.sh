#!/usr/bin/env bash
# Weekly slots at scale (figures in benches/README.md): plans the Malta scenarios of issue 12
# with `tournee plan` at the problem's own time limit (10 s) and prints, per plan, the share
# served, the slot_moved warnings with and without a cause, the stops that keep a slot yet show
# several (weekly: per weekday; served some weeks only: at all) and the checker's violations.
#   20 units, 6 weeks, 500 stops asked (the 83 sites Malta has), 250 home visits, seeds 1 to 5;
#   8 units, 3 weeks, 150 stops asked, 80 home visits, seed 1.
# TOURNEE_BIN picks the binary (default: a release build), CHECK_BIN the one that checks (the
# same by default; set it to compare an older planner under today's checker), RUNS the plans per
# scenario (1), OUT where scenarios and plans go (a temporary folder). Scenarios start on
# 2026-12-07, so that they are the same whenever this runs.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${TOURNEE_BIN:-target/release/tournee}"
CHECK_BIN="${CHECK_BIN:-$BIN}"
EXTRACT="${EXTRACT:-../shared/osm/malta-2016.osm.pbf}"
RUNS="${RUNS:-1}"
[[ -x "$BIN" ]] || cargo build --release -p api
[[ -f "$EXTRACT" ]] || { echo "skipped: $EXTRACT not found"; exit 0; }
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"

scenario() { # name, then tournee scenario options
    local file="$OUT/$1.json"
    shift
    [[ -s "$file" ]] || "$BIN" scenario "$EXTRACT" "$@" --start 2026-12-07 >"$file" 2>/dev/null
}
for seed in 1 2 3 4 5; do
    scenario "u20-s$seed" --units 20 --weeks 6 --stops 500 --home-visits 250 --seed "$seed"
done
scenario u8-s1 --units 8 --weeks 3 --stops 150 --home-visits 80 --seed 1

printf '%-8s %3s %8s %6s %7s %9s %6s %12s %12s %6s %s\n' scenario run served moved caused \
    uncaused stops weekly-vary pattern-vary check "days chosen by"
for name in u20-s1 u20-s2 u20-s3 u20-s4 u20-s5 u8-s1; do
    for run in $(seq "$RUNS"); do
        plan="$OUT/$name.plan$run.json"
        "$BIN" plan "$OUT/$name.json" >"$plan" 2>/dev/null
        "$CHECK_BIN" check "$OUT/$name.json" "$plan" --json >"$OUT/$name.check$run.json" 2>/dev/null || true
        python3 - "$OUT/$name.json" "$plan" "$OUT/$name.check$run.json" "$name" "$run" <<'EOF'
import json, sys
from collections import defaultdict

problem, plan, check = (json.load(open(f)) for f in sys.argv[1:4])
slots = defaultdict(list)
for route in plan["routes"]:
    for step in route["steps"]:
        if step.get("type") == "visit" and step["kind"] == "stop":
            slots[step["id"]].append((route["weekday"], step["start"], route["unit"]))
moved = [w for w in plan["warnings"] if w["code"] == "slot_moved"]
caused = [w for w in moved if w.get("cause")]
weekly = weekly_vary = pattern = pattern_vary = 0
for stop in problem["stops"]:
    f = stop["frequency"]
    visits, per = f["visits"], f.get("per_weeks") or 1
    seen = slots.get(stop["id"], [])
    if stop.get("flexible_time") or visits * problem["horizon"]["weeks"] // per < 2:
        continue
    if visits % per == 0:
        weekly += 1
        by_day = defaultdict(set)
        for day, start, unit in seen:
            by_day[day].add((start, unit))
        weekly_vary += len(by_day) > visits // per or any(len(s) > 1 for s in by_day.values())
    elif visits < per:
        pattern += 1
        pattern_vary += len(set(seen)) > 1
print(f"{sys.argv[4]:<8} {sys.argv[5]:>3} {100 * plan['totals']['share_served']:7.2f}% {len(moved):6}"
      f" {len(caused):7} {len(moved) - len(caused):9} {len({w['id'] for w in moved}):6}"
      f" {weekly_vary:>5} of {weekly:<3} {pattern_vary:>5} of {pattern:<3} {len(check):6}"
      f" {plan['solver']['days_chosen_by']}")
EOF
    done
done
