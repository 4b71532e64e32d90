#!/usr/bin/env bash
# Load test of `tournee serve` on loopback (figures in benches/README.md):
#  1. GET /v1/plans/{id} of a finished plan with wrk while 2 long solves run: throughput, p99;
#  2. 500 submissions in a burst (50 at a time): each accepted (202) or refused (429), none
#     lost, every accepted job completes.
# Needs wrk (Debian package; installed when absent and apt-get is usable) and the Andorra
# extract of ../shared/osm. TOURNEE_BIN picks the binary (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${TOURNEE_BIN:-target/release/tournee}"
EXTRACT="${EXTRACT:-../shared/osm/andorra-2021.osm.pbf}"
[[ -x "$BIN" ]] || cargo build --release -p api
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
[[ -f "$EXTRACT" ]] || { echo "skipped: $EXTRACT not found"; exit 0; }

WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
"$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data" --cache-dir "$WORK/../tournee-bench-cache" \
    --osm "$EXTRACT" --workers 2 --queue-limit 300 >"$WORK/out" 2>"$WORK/log" &
SERVER=$!
until grep -q listening "$WORK/out"; do sleep 0.1; done
URL="$(sed -n 's/listening on //p' "$WORK/out")"
until curl -fs "$URL/readyz" >/dev/null; do sleep 0.2; done

problem() { # units stops homes time-limit
    "$BIN" scenario "$EXTRACT" --units "$1" --stops "$2" --home-visits "$3" --seed 1 \
        --cache-dir "$WORK/../tournee-bench-cache" 2>/dev/null |
        python3 -c "import json,sys; p=json.load(sys.stdin); p['territory']={'extract':'andorra-2021'}; p['solver']['time_limit_s']=$4; print(json.dumps(p))"
}
problem 3 20 10 1 >"$WORK/small.json"
problem 4 80 40 60 >"$WORK/long.json"
problem 1 3 0 0.1 >"$WORK/tiny.json"
id_of() { python3 -c "import json,sys; print(json.load(sys.stdin)['id'])"; }

DONE="$(curl -s -XPOST "$URL/v1/plans?wait=30" -H 'content-type: application/json' -d @"$WORK/small.json" | id_of)"
L1="$(curl -s -XPOST "$URL/v1/plans" -d @"$WORK/long.json" | id_of)"
L2="$(curl -s -XPOST "$URL/v1/plans" -d @"$WORK/long.json" | id_of)"
sleep 3
echo "== GET /v1/plans/{id} (finished plan, $(curl -s "$URL/v1/plans/$DONE" | wc -c) bytes) while 2 solves run"
curl -s "$URL/v1/plans/$L1" | python3 -c "import json,sys; print('  long job 1:', json.load(sys.stdin)['status'])"
curl -s "$URL/v1/plans/$L2" | python3 -c "import json,sys; print('  long job 2:', json.load(sys.stdin)['status'])"
wrk -t2 -c32 -d15s --latency "$URL/v1/plans/$DONE" | sed -n '/Latency Distribution/,$p'
curl -s "$URL/v1/plans/$L1" | python3 -c "import json,sys; print('  after wrk, long job 1:', json.load(sys.stdin)['status'])"
curl -s -XDELETE "$URL/v1/plans/$L1" >/dev/null
curl -s -XDELETE "$URL/v1/plans/$L2" >/dev/null

echo "== 500 submissions in a burst (50 concurrent), queue limit 300, 2 workers"
seq 500 | xargs -P 50 -I{} curl -s -o /dev/null -w '%{http_code}\n' -XPOST "$URL/v1/plans" \
    -H 'content-type: application/json' --data-binary @"$WORK/tiny.json" >"$WORK/codes"
sort "$WORK/codes" | uniq -c | sed 's/^/  /'
ACCEPTED="$(grep -c '^202$' "$WORK/codes" || true)"
OTHER="$(grep -vcE '^(202|429)$' "$WORK/codes" || true)"
START=$(date +%s)
while :; do
    COUNTS="$(curl -s "$URL/metrics" | sed -n 's/^tournee_jobs{status="\([a-z]*\)"} \([0-9]*\)/\1=\2/p' | tr '\n' ' ')"
    QUEUED="$(sed -n 's/.*queued=\([0-9]*\).*/\1/p' <<<"$COUNTS")"
    RUNNING="$(sed -n 's/.*running=\([0-9]*\).*/\1/p' <<<"$COUNTS")"
    [[ "$QUEUED" == 0 && "$RUNNING" == 0 ]] && break
    sleep 1
done
echo "  all finished in $(( $(date +%s) - START )) s after the burst: $COUNTS"
DONE_COUNT="$(sed -n 's/.*done=\([0-9]*\).*/\1/p' <<<"$COUNTS")"
echo "  accepted $ACCEPTED, other statuses $OTHER, done $DONE_COUNT (1 earlier plan included)"
[[ "$OTHER" == 0 && "$DONE_COUNT" == $((ACCEPTED + 1)) ]] && echo "  none lost" || { echo "  MISMATCH"; exit 1; }
