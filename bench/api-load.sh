#!/usr/bin/env bash
# Read API under load: a large read model (written through the projections' writers by `meshhub benchmark
# read-model`), then wrk over a mix of list pages, filters, searches, single nodes and the dashboard, while
# `meshhub simulate` keeps ingesting through MQTT. On SQLite and/or PostgreSQL.
#
# Usage: bench/api-load.sh [sqlite|postgres|both]        (default: both)
#
# Knobs (environment):
#   NODES=10000 ADVERTS=1000000 MESSAGES=1000000 OBSERVERS=20   the read model loaded before the run
#   CONNECTIONS=50 THREADS=2 DURATION=30s                      wrk
#   INGEST_RATE=500                                            receptions/s published during the run (0: none)
#   PG_URL=postgresql://postgres:trust@127.0.0.1:5432/postgres the PostgreSQL server (a scratch schema is used)
#   JAVA_OPTS="-Xmx1g"                                         for the server's JVM
#
# Prints a RESULT line per backend: requests/s, latency percentiles and errors of the whole mix, and the ingest
# rate reached meanwhile. A small check of the script itself:
#   NODES=500 ADVERTS=20000 MESSAGES=20000 DURATION=5s bench/api-load.sh sqlite
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/meshhub.jar"
. "$root/bench/lib.sh"
backends="${1:-both}"
NODES="${NODES:-10000}"
ADVERTS="${ADVERTS:-1000000}"
MESSAGES="${MESSAGES:-1000000}"
OBSERVERS="${OBSERVERS:-20}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-30s}"
INGEST_RATE="${INGEST_RATE:-500}"
PG_URL="${PG_URL:-postgresql://postgres:trust@127.0.0.1:5432/postgres}"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

case "$backends" in
  sqlite | postgres) ;;
  both) backends="sqlite postgres" ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
for tool in wrk mosquitto curl python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed (Debian: apt-get install $tool)" >&2; exit 1; }
done

# Build the jar when needed (bin/meshhub does it), without running anything else.
"$root/bin/meshhub" --version >/dev/null

bench_workdir api-load

seconds_of() {
  case "$1" in
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

# The wrk script: the paths, taken in turn by every connection, and a summary line at the end.
write_mix() {
  local port="$1" out="$2"
  local keys observer
  keys="$(curl -fsS "http://127.0.0.1:$port/api/v1/nodes?limit=8&sort=name" \
    | python3 -c 'import json, sys; print(" ".join(n["public_key"] for n in json.load(sys.stdin)["items"]))')"
  observer="$(curl -fsS "http://127.0.0.1:$port/api/v1/observers?limit=1" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["public_key"])')"
  {
    echo 'local paths = {'
    for p in \
      "/api/v1/nodes?limit=50" \
      "/api/v1/nodes?limit=50&offset=200" \
      "/api/v1/nodes?limit=50&sort=name&order=asc" \
      "/api/v1/nodes?search=node%2012" \
      "/api/v1/nodes?search=${keys:0:4}" \
      "/api/v1/nodes?adv_type=repeater" \
      "/api/v1/advertisements?limit=50" \
      "/api/v1/advertisements?limit=50&offset=500" \
      "/api/v1/advertisements?public_key=${keys:0:64}" \
      "/api/v1/packets?limit=50" \
      "/api/v1/packets?limit=50&observed_by=$observer" \
      "/api/v1/messages?limit=50" \
      "/api/v1/messages?limit=50&offset=500" \
      "/api/v1/messages?channel_idx=16" \
      "/api/v1/messages?channel_idx=19&limit=20" \
      "/api/v1/messages?message_type=contact" \
      "/api/v1/messages?search=hello" \
      "/api/v1/messages?search=repeater%20down" \
      "/api/v1/messages?search=bridge&channel_idx=17" \
      "/api/v1/dashboard/stats"; do
      echo "  \"$p\","
    done
    for k in $keys; do
      echo "  \"/api/v1/nodes/$k\","
    done
    echo '}'
    cat <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("MIX requests=%d seconds=%.2f non2xx=%d socket_errors=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
  } >"$out"
}

run_backend() {
  local backend="$1"
  local dir="$work/$backend"
  mkdir -p "$dir"
  local broker_port api_port prefix
  broker_port="$(free_port)"
  api_port="$(free_port)"
  prefix="bench-api-$$-$backend"

  start_broker "$dir" "$broker_port" 100 || return 1

  local -a db_env
  if [ "$backend" = sqlite ]; then
    db_env=(DATA_HOME="$dir/data")
  else
    local schema="bench_api_$$"
    schemas+=("$schema")
    db_env=(DATABASE_BACKEND=postgres DATABASE_URL="$PG_URL" DATABASE_SCHEMA="$schema")
  fi

  echo "[$backend] loading $NODES nodes, $ADVERTS adverts, $MESSAGES messages ($OBSERVERS observers)"
  (cd "$dir" && env "${db_env[@]}" java $JAVA_OPTS -jar "$jar" benchmark read-model --nodes "$NODES" \
    --adverts "$ADVERTS" --messages "$MESSAGES" --observers "$OBSERVERS") >"$dir/load.log" 2>&1 || {
      echo "error: loading the $backend read model failed; its log:" >&2
      tail -n 20 "$dir/load.log" >&2
      return 1
    }
  grep '^RESULT' "$dir/load.log" | sed "s/^/[$backend] /"

  (cd "$dir" && exec env "${db_env[@]}" MQTT_ENABLED=true MQTT_HOST=127.0.0.1 MQTT_PORT="$broker_port" \
    MQTT_PREFIX="$prefix" MQTT_CLIENT_ID="bench-api-$$-$backend" API_HOST=127.0.0.1 API_PORT="$api_port" \
    java $JAVA_OPTS -jar "$jar" serve >"$dir/server.log" 2>&1) &
  local server=$!
  pids+=("$server")
  await_ready "$api_port" "$server" "$dir/server.log" "the $backend server" 180 || return 1
  write_mix "$api_port" "$dir/mix.lua"

  local simulator=""
  local run_seconds
  run_seconds="$(seconds_of "$DURATION")"
  if [ "$INGEST_RATE" -gt 0 ]; then
    # Ingest for the whole run, starting a few seconds early so that the rate is steady when wrk starts.
    env MQTT_HOST=127.0.0.1 MQTT_PORT="$broker_port" MQTT_PREFIX="$prefix" \
      java -Xmx512m -jar "$jar" simulate --target mqtt --nodes 300 --observers 3 --rate "$INGEST_RATE" \
      --duration "$((run_seconds + 8))s" >"$dir/simulate.log" 2>&1 &
    simulator=$!
    pids+=("$simulator")
    sleep 5
  fi

  echo "[$backend] wrk: $CONNECTIONS connections, $THREADS threads, $DURATION over $(grep -c '^  "' "$dir/mix.lua") paths; ingesting $INGEST_RATE receptions/s"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$dir/mix.lua" \
    "http://127.0.0.1:$api_port" >"$dir/wrk.log" 2>&1
  local mix rps ingest="0"
  mix="$(grep '^MIX ' "$dir/wrk.log")"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$dir/wrk.log")"
  if [ -n "$simulator" ]; then
    wait "$simulator" || true
    ingest="$(sed -nE 's/^Published .* s: ([0-9.]+) receptions\/s.*/\1/p' "$dir/simulate.log" | tail -n 1)"
    ingest="${ingest:-unknown}"
  fi
  echo "RESULT api-load backend=$backend nodes=$NODES adverts=$ADVERTS messages=$MESSAGES connections=$CONNECTIONS duration=$DURATION requests_per_s=$rps ${mix#MIX } published_per_s=$ingest" \
    | tee -a "$work/results.txt"
  # The slowest paths of the mix alone (median of three requests), once wrk's last requests have drained.
  sleep 5
  for p in $(grep -oE '"/api[^"]+"' "$dir/mix.lua" | tr -d '"'); do
    for i in 1 2 3; do
      curl -s -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$api_port$p"
    done | sort -n | sed -n 2p | awk -v p="$p" '{ print $1, p }'
  done | sort -rn | head -n 5 | awk -v b="$backend" '{ printf "[%s] slowest alone: %.1f ms %s\n", b, $1 * 1000, $2 }'

  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}

echo "API load: $(nproc) cores, $(java -version 2>&1 | head -n 1); NODES=$NODES ADVERTS=$ADVERTS MESSAGES=$MESSAGES CONNECTIONS=$CONNECTIONS DURATION=$DURATION INGEST_RATE=$INGEST_RATE"
status=0
for backend in $backends; do
  run_backend "$backend" || status=1
done
print_results
exit $status
