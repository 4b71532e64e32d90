#!/usr/bin/env python3
"""The attendance proposal on the Andorra scenario (issue 19): plan the scenario's cycle, record
a generated season of attendance, ask for the proposal, and print expected visitors per week and
driving of the plan in force and of the proposal.

    python3 benches/attendance.py [--tournee target/debug/tournee] [--seed 7] [--minutes 10]

Starts its own `tournee serve --osm ../shared/osm/andorra-2021.osm.pbf` on a free port with a
temporary data folder, and stops it at the end. The history is generated with a fixed seed:
each stop gets a base rate drawn between 2 and 14 people per visit, a fifth of the stops
draw 1, and a fifth are twice as busy on one weekday they are visited on; each visit varies
by ±2.
"""

import argparse
import datetime
import json
import random
import subprocess
import tempfile
import urllib.request

EXTRACT = "../shared/osm/andorra-2021.osm.pbf"


def call(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{method} {url}: {error.code} {error.read().decode()[:2000]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tournee", default="target/debug/tournee")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--cache-dir", default="target/tmp/serve-graph-cache")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    problem = json.loads(subprocess.run(
        [args.tournee, "scenario", EXTRACT, "--units", "3", "--weeks", "2", "--stops", "30",
         "--home-visits", "0", "--seed", str(args.seed), "--cache-dir", args.cache_dir],
        check=True, capture_output=True, text=True).stdout)
    problem["territory"] = {"extract": "andorra-2021"}
    problem["solver"] = {"time_limit_s": 20, "seed": 1}
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen(
            [args.tournee, "serve", "--listen", "127.0.0.1:0", "--data", data,
             "--osm", EXTRACT, "--cache-dir", args.cache_dir], stdout=subprocess.PIPE, text=True)
        try:
            url = server.stdout.readline().strip().removeprefix("listening on ")
            while True:
                try:
                    urllib.request.urlopen(url + "/readyz", timeout=5)
                    break
                except urllib.error.URLError:
                    pass
            job = call(url + "/v1/plans?wait=120", "POST", problem)
            plan = job["plan"]
            stops = sorted({s["id"] for r in plan["routes"] for s in r["steps"]
                            if s.get("kind") == "stop"})
            base, favoured = {}, {}
            for stop in stops:
                draw = rng.random()
                base[stop] = 1 if draw < 0.2 else rng.uniform(2, 14)
                if 0.2 <= draw < 0.4:
                    days = [r["weekday"] for r in plan["routes"] for s in r["steps"]
                            if s.get("id") == stop]
                    favoured[stop] = rng.choice(days)
            records = []
            for cycle in range(1, 7):
                for route in plan["routes"]:
                    date = datetime.date.fromisoformat(route["date"])
                    for step in route["steps"]:
                        if step.get("kind") != "stop":
                            continue
                        rate = base[step["id"]]
                        if favoured.get(step["id"]) == route["weekday"]:
                            rate *= 2
                        visitors = max(0, round(rate + rng.uniform(-2, 2)))
                        day = date - datetime.timedelta(days=14 * cycle)
                        records.append({"stop": step["id"], "date": day.isoformat(),
                                        "visitors": visitors})
            call(url + "/v1/attendance", "POST", {"plan": job["id"], "records": records})
            answer = call(url + f"/v1/plans/{job['id']}/proposal?wait=300", "POST",
                          {"minutes": args.minutes, "mode": "car"})
            print(json.dumps({"records": len(records), "changes": answer["changes"],
                              "warnings": answer["warnings"], "before": answer["before"],
                              "after": answer["after"],
                              "status": answer["job"]["status"]}, indent=1,
                             ensure_ascii=False))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
