#!/usr/bin/env python3
"""Several `tournee serve` instances on one PostgreSQL queue, territories spread over them.

Starts a throwaway PostgreSQL cluster on loopback (Debian's server binaries), then runs two
set-ups on the same submissions: four instances holding two territories (two Andorra, two
Malta, one worker each), and one instance holding both with four workers. Each submits N small
weekly problems, alternately for each territory and round-robin through every instance, waits
until all are done, and prints a table: throughput, time from submission to claim (p50, p99),
the claim statement's own latency from `/metrics` (p50, p99), and whether every job was solved
by an instance holding its territory.

    cargo build --release -p api
    python3 benches/instances.py [--jobs 500] [--bin target/release/tournee]
"""

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "osm")
EXTRACTS = {
    "andorra-2021": os.path.join(SHARED, "andorra-2021.osm.pbf"),
    "malta-2016": os.path.join(SHARED, "malta-2016.osm.pbf"),
}


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.loads(answer.read() or b"null")


def text(url):
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.read().decode()


class Postgres:
    """A throwaway cluster in a temporary folder, stopped and removed on exit."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            sys.exit("PostgreSQL server binaries not found: apt-get install postgresql")
        self.bin = bins[-1]
        self.data = tempfile.mkdtemp(prefix="tournee-bench-pg.")
        self.port = 54500
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.data, "postgres")
        self.run("initdb", "-D", self.data, "-A", "trust", "-U", "tournee", "--no-sync")
        self.run("pg_ctl", "-D", self.data, "-l", os.path.join(self.data, "log"), "-w", "-o",
                 f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
                 "-c max_connections=200", "start")
        self.count = 0

    def run(self, tool, *args):
        command = [os.path.join(self.bin, tool), *args]
        if self.root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def database(self):
        self.count += 1
        name = f"bench{self.count}"
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "tournee", name)
        return f"postgres://tournee@127.0.0.1:{self.port}/{name}"

    def stop(self):
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "stop")
        shutil.rmtree(self.data, ignore_errors=True)


def serve(binary, database, extracts, workers, cache):
    args = [binary, "serve", "--listen", "127.0.0.1:0", "--database", database,
            "--workers", str(workers), "--cache-dir", cache, "--queue-limit", "100000"]
    for extract in extracts:
        args += ["--osm", EXTRACTS[extract]]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, env={**os.environ, "TOURNEE_LOG": "off"})
    line = child.stdout.readline().decode()
    url = line.strip().removeprefix("listening on ")
    deadline = time.time() + 600
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/readyz", timeout=5)
            return child, url
        except Exception:
            time.sleep(0.2)
    sys.exit(f"{url} was not ready")


def scenario(binary, extract, cache):
    output = subprocess.run(
        [binary, "scenario", EXTRACTS[extract], "--units", "1", "--weeks", "1", "--stops", "3",
         "--home-visits", "2", "--seed", "1", "--cache-dir", cache],
        check=True, stdout=subprocess.PIPE).stdout
    problem = json.loads(output)
    problem["territory"] = {"extract": extract}
    problem["solver"]["time_limit_s"] = 0.2
    return problem


def claim_quantiles(urls):
    """p50 and p99 of the claim statement's latency, from the instances' histograms (upper
    bucket bounds, summed over instances)."""
    buckets = {}
    for url in urls:
        for line in text(url + "/metrics").splitlines():
            found = re.match(r'tournee_claim_duration_seconds_bucket\{le="([^"]+)"\} (\d+)', line)
            if found:
                bound = float("inf") if found[1] == "+Inf" else float(found[1])
                buckets[bound] = buckets.get(bound, 0) + int(found[2])
    total = buckets.get(float("inf"), 0)

    def quantile(q):
        for bound in sorted(buckets):
            if buckets[bound] >= q * total:
                return bound
        return float("nan")

    return quantile(0.5), quantile(0.99), total


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def run(binary, pg, layout, jobs, cache, problems):
    database = pg.database()
    children, urls, holders = [], [], {}
    for extracts, workers in layout:
        child, url = serve(binary, database, extracts, workers, cache)
        children.append(child)
        urls.append(url)
    try:
        listing = call("GET", urls[0] + "/v1/territories")
        for territory in listing:
            holders[territory["id"]] = {h["instance"] for h in territory["instances"]}
        started = time.time()
        names = list(problems)

        def submit(n):
            territory = names[n % len(names)]
            url = urls[(n // len(names)) % len(urls)]
            return territory, call("POST", url + "/v1/plans", problems[territory])["id"]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            submitted = list(pool.map(submit, range(jobs)))
        records = []
        for territory, job in submitted:
            while True:
                record = call("GET", f"{urls[0]}/v1/plans/{job}?wait=30")
                if record["status"] in ("done", "failed", "cancelled"):
                    break
            records.append((territory, record))
        wall = time.time() - started
        claim_p50, claim_p99, claims = claim_quantiles(urls)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait()

    def ms(stamp):
        return time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(stamp[20:23])

    waits = [ms(r["started_at"]) - ms(r["created_at"]) for _, r in records]
    done = sum(r["status"] == "done" for _, r in records)
    right = sum(
        any((r.get("solved_by") or "").startswith(h + "-") for h in holders.get(t, ()))
        for t, r in records)
    return {
        "done": done, "right": right, "wall": wall, "throughput": jobs / wall,
        "wait_p50": percentile(waits, 0.5), "wait_p99": percentile(waits, 0.99),
        "claim_p50": claim_p50 * 1000, "claim_p99": claim_p99 * 1000, "claims": claims,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target/release/tournee"))
    options = parser.parse_args()
    for path in EXTRACTS.values():
        if not os.path.exists(path):
            sys.exit(f"skipped: {path} is absent")
    cache = tempfile.mkdtemp(prefix="tournee-bench-cache.")
    problems = {t: scenario(options.bin, t, cache) for t in EXTRACTS}
    pg = Postgres()
    try:
        layouts = {
            "4 instances, 2 territories (2 × Andorra, 2 × Malta, 1 worker each)": [
                (["andorra-2021"], 1), (["andorra-2021"], 1), (["malta-2016"], 1),
                (["malta-2016"], 1)],
            "1 instance holding both, 4 workers": [(["andorra-2021", "malta-2016"], 4)],
        }
        print(f"{options.jobs} submissions, one-unit weeks (3 stops, 2 home visits, 0.2 s limit); "
              f"load average before: {os.getloadavg()[0]:.1f}")
        print("| set-up | done | solved by a holder | wall s | jobs/s | submit→claim p50 / p99 ms "
              "| claim statement p50 / p99 ms (claims) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, layout in layouts.items():
            r = run(options.bin, pg, layout, options.jobs, cache, problems)
            print(f"| {name} | {r['done']} | {r['right']} | {r['wall']:.1f} | {r['throughput']:.1f} "
                  f"| {r['wait_p50']:.0f} / {r['wait_p99']:.0f} "
                  f"| ≤ {r['claim_p50']:.1f} / ≤ {r['claim_p99']:.1f} ({r['claims']}) |")
    finally:
        pg.stop()
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
