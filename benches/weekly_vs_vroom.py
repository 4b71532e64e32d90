#!/usr/bin/env python3
"""One week planned by `tournee plan` and by VROOM (pyvroom) on identical road matrices.

For each case (extract, units, stops, home visits, seed): `tournee scenario` writes the week,
`tournee matrix` computes each unit kind's matrix over its places (depots, stops, home visits,
the order of `territory.matrices`), and the problem is rewritten with those matrices. Tournée
plans it (`tournee plan --time-limit S`); VROOM gets the same matrices, modelled as an
integrator routing the week by hand would: one vehicle per unit and working day with that day's
hours, lunch as a break, the unit's daily driving limit, allowed unit kinds as skills, each
stop one job whose windows are its opening hours on every working day, each home visit one job
whose windows are its slots, priorities as VROOM priorities, the units' euros per hour and per
km as VROOM costs (in cents).

Both answers are measured alike: cost by Tournée's objective (each day out costs its span,
leaving the depot just in time for the first visit to coming back, at the unit's hourly price,
plus its kilometres at the unit's price per km; VROOM's routes are replayed with that schedule),
served priority (the sum of the priorities of the visits made), driving minutes and kilometres.

Usage (from the repository root, after `cargo build --release -p api`):
    python3 benches/weekly_vs_vroom.py [--time-limit 10] [--only andorra|malta|over]
Needs `pip install pyvroom==1.15.2`. Prints one row per case and solver, then the ratios.
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import vroom

ROOT = Path(__file__).resolve().parent.parent
OSM = ROOT.parent / "shared" / "osm"
TOURNEE = Path(os.environ.get("TOURNEE", ROOT / "target" / "release" / "tournee"))

# (label, extract, units, stops, home visits, seeds)
CASES = [
    ("andorra", "andorra-2021.osm.pbf", 4, 34, 20, [1, 2, 3]),
    ("malta", "malta-2016.osm.pbf", 5, 45, 30, [1, 2, 3]),
    ("over", "andorra-2021.osm.pbf", 4, 60, 40, [7, 8, 9]),
]
# A week without a French public holiday, so every weekday is worked.
START = "2026-03-09"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_S = 86_400
# Homes are drawn on the car network; another kind's matrix may place them farther from its
# roads than the default limit. They are not allowed to that kind, so where it lands is moot.
SNAP_LIMIT_M = 100_000


def run(args, **kw):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kw)


def hm(text):
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


def places(problem):
    """Every place in the order of `territory.matrices`: depots, stops, home visits."""
    out = [(f"depot-{u['id']}", u["depot"]) for u in problem["units"]]
    out += [(s["id"], s["location"]) for s in problem["stops"]]
    out += [(h["id"], h["location"]) for h in problem["home_visits"]]
    return out


def with_matrices(problem, extract, workdir):
    """The problem with its territory replaced by each unit kind's road matrix."""
    points = workdir / "points.csv"
    with points.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "lat", "lon"])
        for n, (_, loc) in enumerate(places(problem)):
            writer.writerow([f"p{n}", loc["lat"], loc["lon"]])
    matrices = {}
    for kind in sorted({u["kind"] for u in problem["units"]}):
        answer = json.loads(
            run([TOURNEE, "matrix", extract, "--profile", kind, "--points", points, "--format", "json",
                 "--snap-limit", SNAP_LIMIT_M]).stdout
        )
        matrices[kind] = {"durations_s": answer["durations_s"], "distances_m": answer["distances_m"]}
    problem = dict(problem)
    problem["territory"] = {"matrices": matrices}
    return problem


def working_days(problem):
    """(day index from the start, weekday name) of each working day of a one-week cycle."""
    horizon = problem["horizon"]
    start = datetime.date.fromisoformat(horizon["start"])
    worked = horizon.get("working_days", WEEKDAYS[:5])
    days = []
    for d in range(7 * horizon["weeks"]):
        date = start + datetime.timedelta(days=d)
        name = WEEKDAYS[date.weekday()]
        if name in worked:
            days.append((d, name, date))
    return days


def stop_service(stop, ranges):
    """Minutes on site, and for a whole opening the range it must fill."""
    if stop["duration"] == "whole_opening":
        longest = max(ranges, key=lambda r: hm(r["end"]) - hm(r["start"]))
        return (hm(longest["end"]) - hm(longest["start"])) // 60, longest
    return stop["duration"]["minutes"], None


def vroom_input(problem):
    """The week as an integrator would give it to VROOM (VROOM's JSON input format)."""
    units, stops, homes = problem["units"], problem["stops"], problem["home_visits"]
    days = working_days(problem)
    allowed_sets = {}

    def skill(allowed):
        key = tuple(sorted(allowed)) if allowed else ("any",)
        return allowed_sets.setdefault(key, len(allowed_sets) + 1)

    jobs, job_meta = [], {}
    for s, stop in enumerate(stops):
        windows, service = [], None
        for d, name, _ in days:
            ranges = stop["opening_hours"].get(name, [])
            if not ranges:
                continue
            minutes, whole = stop_service(stop, ranges)
            service = minutes * 60
            for r in [whole] if whole else ranges:
                a, b = hm(r["start"]), hm(r["end"]) - service
                if b >= a:
                    windows.append([d * DAY_S + a, d * DAY_S + b])
        if not windows:
            continue
        jid = len(jobs) + 1
        jobs.append({
            "id": jid, "location_index": len(units) + s, "service": service,
            "skills": [skill(stop.get("allowed_units", []))],
            "priority": stop.get("priority", 50), "time_windows": sorted(windows),
        })
        job_meta[jid] = stop.get("priority", 50)
    for h, home in enumerate(homes):
        service = home["duration_min"] * 60
        deadline = home.get("deadline")
        windows = []
        for d, name, date in days:
            if deadline and date > datetime.date.fromisoformat(deadline):
                continue
            for slot in home["slots"]:
                on = slot.get("date") == date.isoformat() or slot.get("weekday") == name
                a, b = hm(slot["start"]), hm(slot["end"]) - service
                if on and b >= a:
                    windows.append([d * DAY_S + a, d * DAY_S + b])
        if not windows:
            continue
        jid = len(jobs) + 1
        jobs.append({
            "id": jid, "location_index": len(units) + len(stops) + h, "service": service,
            "skills": [skill(home.get("allowed_units", []))],
            "priority": home.get("priority", 50), "time_windows": sorted(windows),
        })
        job_meta[jid] = home.get("priority", 50)
    vehicles, vehicle_meta = [], {}
    for u, unit in enumerate(units):
        skills = [n for key, n in allowed_sets.items() if key == ("any",) or unit["kind"] in key]
        for d, name, _ in days:
            hours = unit["hours"].get(name, [])
            if not hours:
                continue
            vid = len(vehicles) + 1
            vehicle = {
                "id": vid, "profile": unit["kind"], "start_index": u, "end_index": u,
                "time_window": [d * DAY_S + hm(hours[0]["start"]), d * DAY_S + hm(hours[0]["end"])],
                "skills": skills,
                "costs": {"per_hour": round(unit.get("cost_per_hour", 0) * 100),
                          "per_km": round(unit.get("cost_per_km", 0) * 100)},
            }
            lunch = unit.get("lunch")
            if lunch:
                length = lunch["duration_min"] * 60
                vehicle["breaks"] = [{
                    "id": vid, "service": length,
                    "time_windows": [[d * DAY_S + hm(lunch["window"]["start"]),
                                      d * DAY_S + hm(lunch["window"]["end"]) - length]],
                }]
            if unit.get("max_driving_min"):
                vehicle["max_travel_time"] = unit["max_driving_min"] * 60
            vehicles.append(vehicle)
            vehicle_meta[vid] = unit
    matrices = {
        kind: {"durations": m["durations_s"], "distances": m["distances_m"]}
        for kind, m in problem["territory"]["matrices"].items()
    }
    return {"vehicles": vehicles, "jobs": jobs, "matrices": matrices}, job_meta, vehicle_meta


def replayed_span(route, vehicle, jobs_by_id, durations):
    """A VROOM route's span by Tournée's schedule: each stop as early as possible, leaving the
    depot just in time for the first; seconds."""
    at, clock, first_start, leave = vehicle["start_index"], vehicle["time_window"][0], None, None
    for step in route["steps"]:
        if step["type"] == "job":
            job = jobs_by_id[step["job"]]
            drive = durations[at][job["location_index"]]
            arrive = clock + drive
            start = min((max(arrive, a) for a, b in job["time_windows"] if max(arrive, a) <= b), default=arrive)
            if first_start is None:
                first_start, leave = start, start - drive
            clock, at = start + job["service"], job["location_index"]
        elif step["type"] == "break":
            brk = vehicle["breaks"][0]
            clock = max(clock, brk["time_windows"][0][0]) + brk["service"]
    back = clock + durations[at][vehicle["end_index"]]
    return back - (leave if leave is not None else back)


def solve_vroom(problem, workdir, threads):
    data, job_meta, vehicle_meta = vroom_input(problem)
    path = workdir / "vroom.json"
    path.write_text(json.dumps(data))
    started = time.monotonic()
    solution = vroom.Input.from_json(path).solve(exploration_level=5, nb_threads=threads)
    seconds = time.monotonic() - started
    answer = solution.to_dict() if hasattr(solution, "to_dict") else json.loads(solution.to_json())
    (workdir / "vroom_answer.json").write_text(json.dumps(answer))
    jobs_by_id = {j["id"]: j for j in data["jobs"]}
    vehicles_by_id = {v["id"]: v for v in data["vehicles"]}
    cost = driving = metres = served = 0.0
    for route in answer["routes"]:
        vehicle = vehicles_by_id[route["vehicle"]]
        unit = vehicle_meta[route["vehicle"]]
        durations = data["matrices"][vehicle["profile"]]["durations"]
        distances = data["matrices"][vehicle["profile"]]["distances"]
        at, km_m = vehicle["start_index"], 0
        for step in route["steps"]:
            if step["type"] == "job":
                loc = jobs_by_id[step["job"]]["location_index"]
                km_m += distances[at][loc]
                driving += durations[at][loc]
                served += job_meta[step["job"]]
                at = loc
        km_m += distances[at][vehicle["end_index"]]
        driving += durations[at][vehicle["end_index"]]
        metres += km_m
        span_h = replayed_span(route, vehicle, jobs_by_id, durations) / 3600
        cost += span_h * unit.get("cost_per_hour", 0) + km_m / 1000 * unit.get("cost_per_km", 0)
    unassigned = len(answer.get("unassigned", []))
    return {"cost": cost, "priority": served, "driving_min": driving / 60, "km": metres / 1000,
            "unserved": unassigned, "seconds": seconds}


def solve_tournee(problem, workdir, time_limit, seed):
    path = workdir / "problem.json"
    path.write_text(json.dumps(problem))
    started = time.monotonic()
    plan = json.loads(run([TOURNEE, "plan", path, "--time-limit", time_limit, "--seed", seed]).stdout)
    seconds = time.monotonic() - started
    (workdir / "plan.json").write_text(json.dumps(plan))
    verdict = run([TOURNEE, "check", path, workdir / "plan.json"]).stdout.strip()
    if not verdict.startswith("the plan keeps every rule"):
        sys.exit(f"the checker objects to Tournée's plan: {verdict}")
    priority = {("stop", s["id"]): s.get("priority", 50) for s in problem["stops"]}
    priority.update({("home_visit", h["id"]): h.get("priority", 50) for h in problem["home_visits"]})
    served = sum(
        priority[(step["kind"], step["id"])]
        for route in plan["routes"] for step in route["steps"] if step["type"] == "visit"
    )
    t = plan["totals"]
    return {"cost": t["cost_eur"], "priority": served, "driving_min": t["driving_min"],
            "km": t["distance_km"], "unserved": len(plan["unserved"]), "seconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", default="10")
    parser.add_argument("--only", choices=[c[0] for c in CASES])
    parser.add_argument("--seeds", type=int, nargs="*", help="override each case's seeds")
    parser.add_argument("--vroom-threads", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep each case's problem, plan and VROOM answer here")
    args = parser.parse_args()
    if not TOURNEE.exists():
        sys.exit(f"{TOURNEE} is missing: cargo build --release -p api (or TOURNEE=path)")
    print(f"# tournee plan --time-limit {args.time_limit}; VROOM {getattr(vroom, '__version__', '1.15')}"
          f" exploration 5, {args.vroom_threads} threads; load {os.getloadavg()[0]:.2f}")
    header = ("case", "seed", "solver", "cost_eur", "priority", "driving_min", "km", "unserved", "s")
    print("\t".join(header))
    ratios = []
    for label, extract, units, stops, homes, seeds in CASES:
        if args.only and label != args.only:
            continue
        for seed in args.seeds or seeds:
            with tempfile.TemporaryDirectory() as tmp:
                workdir = Path(tmp)
                pbf = OSM / extract
                problem = json.loads(run([
                    TOURNEE, "scenario", pbf, "--units", units, "--weeks", 1, "--stops", stops,
                    "--home-visits", homes, "--seed", seed, "--start", START,
                ]).stdout)
                problem = with_matrices(problem, pbf, workdir)
                ours = solve_tournee(problem, workdir, args.time_limit, seed)
                theirs = solve_vroom(problem, workdir, args.vroom_threads)
                if args.keep:
                    kept = args.keep / f"{label}-{seed}"
                    kept.mkdir(parents=True, exist_ok=True)
                    for name in ("problem.json", "plan.json", "vroom.json", "vroom_answer.json"):
                        (kept / name).write_bytes((workdir / name).read_bytes())
            for name, r in (("tournee", ours), ("vroom", theirs)):
                print(f"{label}\t{seed}\t{name}\t{r['cost']:.2f}\t{r['priority']:.0f}\t"
                      f"{r['driving_min']:.0f}\t{r['km']:.1f}\t{r['unserved']}\t{r['seconds']:.1f}")
            ratios.append((label, seed, ours["cost"] / theirs["cost"], ours["priority"] / max(theirs["priority"], 1),
                           ours["driving_min"] / theirs["driving_min"]))
            sys.stdout.flush()
    print("# ratios tournee/vroom: case seed cost priority driving; load "
          f"{os.getloadavg()[0]:.2f}")
    for label, seed, cost, priority, driving in ratios:
        print(f"{label}\t{seed}\t{cost:.4f}\t{priority:.4f}\t{driving:.4f}")


if __name__ == "__main__":
    main()
