#!/usr/bin/env bash
# End-to-end ingest benchmark: `meshhub simulate --target mqtt` into a running collector, on SQLite and/or
# PostgreSQL, measuring receptions per second from the first publication to the last message ingested.
#
# Usage: bench/e2e-ingest.sh [sqlite|postgres|both]        (default: both)
#
# Knobs (environment):
#   RATE=3000 DURATION=20s NODES=200 OBSERVERS=3 SEED=1   what simulate publishes (RATE x DURATION receptions)
#   WAIT_SECONDS=600         how long to wait for the collector to ingest everything after simulate ends
#   PG_URL=postgresql://postgres:trust@127.0.0.1:5432/postgres   the PostgreSQL server (a scratch schema is used)
#   BROKER_MAX_INFLIGHT=20   the private broker's unacknowledged messages per client (Mosquitto's default)
#   METRIC=meshhub_ingest_messages_total   the collector counter of handled messages (summed over its labels)
#   JAVA_OPTS="-Xmx1g"       for the collector's JVM
#
# Each run gets its own scratch database (a temporary DATA_HOME, or a schema dropped afterwards), its own Mosquitto
# on a free port (no queue limit, so that a collector slower than the publisher loses nothing at the broker), and
# its own topic prefix. Everything it starts is stopped on exit. Publish faster than the collector can ingest to
# measure its capacity: the broker queues the difference and the end-to-end rate is the drain rate.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/meshhub.jar"
. "$root/bench/lib.sh"
backends="${1:-both}"
RATE="${RATE:-3000}"
DURATION="${DURATION:-20s}"
NODES="${NODES:-200}"
OBSERVERS="${OBSERVERS:-3}"
SEED="${SEED:-1}"
WAIT_SECONDS="${WAIT_SECONDS:-600}"
PG_URL="${PG_URL:-postgresql://postgres:trust@127.0.0.1:5432/postgres}"
BROKER_MAX_INFLIGHT="${BROKER_MAX_INFLIGHT:-20}"
METRIC="${METRIC:-meshhub_ingest_messages_total}"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

case "$backends" in
  sqlite | postgres) ;;
  both) backends="sqlite postgres" ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
command -v mosquitto >/dev/null || { echo "error: mosquitto is needed (the benchmark runs a private broker)" >&2; exit 1; }
command -v curl >/dev/null || { echo "error: curl is needed" >&2; exit 1; }

# Build the jar when needed (bin/meshhub does it), without running anything else.
"$root/bin/meshhub" --version >/dev/null

bench_workdir e2e

# The sum of every sample of $METRIC at the collector's /metrics (0 when absent).
ingested() {
  curl -fsS "http://127.0.0.1:$1/metrics" 2>/dev/null \
    | awk -v m="$METRIC" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%d\n", s }'
}

has_metric() {
  curl -fsS "http://127.0.0.1:$1/metrics" 2>/dev/null | grep -q "^$METRIC"
}

run_backend() {
  local backend="$1"
  local dir="$work/$backend"
  mkdir -p "$dir"
  local broker_port api_port prefix
  broker_port="$(free_port)"
  api_port="$(free_port)"
  prefix="bench-e2e-$$-$backend"

  start_broker "$dir" "$broker_port" "$BROKER_MAX_INFLIGHT" || return 1

  local -a db_env
  if [ "$backend" = sqlite ]; then
    db_env=(DATA_HOME="$dir/data")
  else
    local schema="bench_e2e_$$"
    schemas+=("$schema")
    db_env=(DATABASE_BACKEND=postgres DATABASE_URL="$PG_URL" DATABASE_SCHEMA="$schema")
  fi
  local -a mqtt_env=(MQTT_ENABLED=true MQTT_HOST=127.0.0.1 MQTT_PORT="$broker_port" MQTT_PREFIX="$prefix"
    MQTT_CLIENT_ID="bench-e2e-$$-$backend")

  (cd "$dir" && exec env "${db_env[@]}" "${mqtt_env[@]}" API_HOST=127.0.0.1 API_PORT="$api_port" \
    java $JAVA_OPTS -jar "$jar" serve >"$dir/collector.log" 2>&1) &
  local collector=$!
  pids+=("$collector")

  await_ready "$api_port" "$collector" "$dir/collector.log" "the $backend collector" 120 || return 1
  local before
  before="$(ingested "$api_port")"

  echo "[$backend] collector ready on port $api_port; simulating $RATE receptions/s for $DURATION into the broker on port $broker_port"
  local t0 t_published
  t0="$(now)"
  env MQTT_HOST=127.0.0.1 MQTT_PORT="$broker_port" MQTT_PREFIX="$prefix" \
    java -Xmx512m -jar "$jar" simulate --target mqtt --nodes "$NODES" --observers "$OBSERVERS" --seed "$SEED" \
    --rate "$RATE" --duration "$DURATION" | tee "$dir/simulate.log" | sed "s/^/[$backend] /"
  local simulated=${PIPESTATUS[0]}
  t_published="$(now)"
  if [ "$simulated" -ne 0 ]; then
    echo "error: simulate failed (exit $simulated) on $backend" >&2
    return 1
  fi
  local summary published statuses
  summary="$(grep '^Published ' "$dir/simulate.log")"
  published="$(sed -E 's/^Published ([0-9]+) receptions.*/\1/' <<<"$summary")"
  statuses="$(sed -E 's/.* and ([0-9]+) status messages.*/\1/' <<<"$summary")"
  local expected=$((before + published + statuses))

  local count t_done="" grace=$((SECONDS + 30))
  local deadline=$((SECONDS + WAIT_SECONDS))
  while :; do
    count="$(ingested "$api_port")"
    if [ "$count" -ge "$expected" ]; then
      t_done="$(now)"
      break
    fi
    if ! has_metric "$api_port" && [ $SECONDS -ge $grace ]; then
      echo "error: the $backend collector exposes no $METRIC at /metrics: it has no MQTT source, or counts under another name (set METRIC)" >&2
      return 1
    fi
    if ! kill -0 "$collector" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "error: the $backend collector ingested $((count - before)) of $((published + statuses)) messages within ${WAIT_SECONDS}s of the end of publishing" >&2
      tail -n 20 "$dir/collector.log" >&2
      return 1
    fi
    sleep 0.2
  done

  local events
  events="$(curl -fsS "http://127.0.0.1:$api_port/api/v1/db/status" | sed -E 's/.*"events":([0-9]+).*/\1/')"
  awk -v b="$backend" -v p="$published" -v s="$statuses" -v t0="$t0" -v tp="$t_published" -v td="$t_done" \
    -v e="$events" -v r="$RATE" 'BEGIN {
      printf "[%s] RESULT: %d receptions (+%d status) published at %.0f/s (asked %s); all ingested %.1f s after the first publication: %.0f receptions/s end to end; %.1f s behind the publisher at the end; %s events in the journal\n",
        b, p, s, p / (tp - t0), r, td - t0, p / (td - t0), td - tp, e }' | tee -a "$work/results.txt"

  kill "$collector" 2>/dev/null || true
  wait "$collector" 2>/dev/null || true
}

echo "End-to-end ingest: $(nproc) cores, $(java -version 2>&1 | head -n 1); RATE=$RATE DURATION=$DURATION NODES=$NODES OBSERVERS=$OBSERVERS BROKER_MAX_INFLIGHT=$BROKER_MAX_INFLIGHT"
status=0
for backend in $backends; do
  run_backend "$backend" || status=1
done
print_results
exit $status
