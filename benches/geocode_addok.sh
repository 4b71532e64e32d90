#!/usr/bin/env bash
# The geocoder benchmark with the addok back end beside the offline index: starts a throwaway
# Redis + addok on loopback (as scripts/test does), loads it with the addresses of monaco-2020
# and andorra-2021 (scripts/addok/load.py), and runs `cargo bench --bench geocode` with
# TOURNEE_TEST_ADDOK pointing at it, which adds the addok rows for those two extracts.
# Needs redis-server, addok (pip install addok addok-fr addok-france) and pyosmium; stops
# everything it started on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

free_port() {
    local port=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$port"
}

extracts=(../shared/osm/monaco-2020.osm.pbf ../shared/osm/andorra-2021.osm.pbf)
for tool in redis-server redis-cli addok; do
    command -v "$tool" >/dev/null || { echo "geocode_addok: $tool is not installed" >&2; exit 1; }
done
dir="$(mktemp -d /tmp/tournee-addok-bench.XXXXXX)"
addok_pid=""
stop() {
    [[ -n "$addok_pid" ]] && kill "$addok_pid" 2>/dev/null
    [[ -f "$dir/redis.pid" ]] && kill "$(cat "$dir/redis.pid")" 2>/dev/null
    rm -rf "$dir"
}
trap stop EXIT

redis_port="$(free_port 56490)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log" --daemonize yes --pidfile "$dir/redis.pid"
export ADDOK_CONFIG_MODULE="$PWD/scripts/addok/config.py" ADDOK_LOG_DIR="$dir" \
    REDIS_HOST=127.0.0.1 REDIS_PORT="$redis_port" REDIS_DB_INDEXES=0 REDIS_DB_DOCUMENTS=1
for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
done
python3 scripts/addok/load.py "${extracts[@]}" >"$dir/addresses.ndjson"
{ addok batch "$dir/addresses.ndjson" && addok ngrams; } >"$dir/import.log" 2>&1
addok_port="$(free_port 57990)"
addok serve --host 127.0.0.1 --port "$addok_port" >"$dir/addok.log" 2>&1 &
addok_pid=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$addok_port/search/?q=monaco" >/dev/null 2>&1 && break
    sleep 0.1
done
TOURNEE_TEST_ADDOK="http://127.0.0.1:$addok_port" CARGO_INCREMENTAL=0 \
    cargo bench --bench geocode "$@"
