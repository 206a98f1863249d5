#!/usr/bin/env bash
# Cluster ingest benchmark: receptions per second drained from a pre-filled broker queue by a collector cluster of
# 1, 2 and 3 nodes on one PostgreSQL schema, each node on this machine (its own cluster and API port).
#
# Usage: bench/cluster-ingest.sh [NODE COUNTS...]         (default: 1 2 3)
#
# Knobs (environment):
#   RATE=3000 DURATION=20s NODES=200 OBSERVERS=3 SEED=1   what simulate pre-fills (at most RATE x DURATION receptions)
#   WAIT_SECONDS=900         how long the nodes may take to drain the queue
#   PG_URL=postgresql://postgres:trust@127.0.0.1:5432/postgres   the PostgreSQL server (a scratch schema per run)
#   BROKER_MAX_INFLIGHT=1000 the private broker's unacknowledged messages per client
#   MQTT_MAX_INFLIGHT=1000   each node's messages in its pipeline at once
#   JAVA_OPTS="-Xmx512m"     for each node's JVM
#
# For each cluster size: a private Mosquitto on a free port (no queue limit), one persistent session per node made
# beforehand (mosquitto_sub -c, subscribed to the node's shared subscription, then gone), so that the broker deals
# the pre-filled messages to the nodes' sessions while no node runs; then `meshhub simulate --target mqtt` publishes
# the load, the nodes start (every node a seed, all in one cluster, the shared subscription on), and the clock runs
# from the moment every node is ready until the nodes' meshhub_ingest_messages_total add up to what was published.
# The drain rate counts only what was left when the last node became ready. Every node shares the machine's cores
# with the others, with PostgreSQL and with the broker: on a 2-core machine more nodes mean more contention, not
# more cores. The load averages at the start and the end of each drain are printed with the result.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/meshhub.jar"
. "$root/bench/lib.sh"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 2 3)
RATE="${RATE:-3000}"
DURATION="${DURATION:-20s}"
NODES="${NODES:-200}"
OBSERVERS="${OBSERVERS:-3}"
SEED="${SEED:-1}"
WAIT_SECONDS="${WAIT_SECONDS:-900}"
PG_URL="${PG_URL:-postgresql://postgres:trust@127.0.0.1:5432/postgres}"
BROKER_MAX_INFLIGHT="${BROKER_MAX_INFLIGHT:-1000}"
MQTT_MAX_INFLIGHT="${MQTT_MAX_INFLIGHT:-1000}"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
GROUP=meshhub

for n in "${counts[@]}"; do
  [[ "$n" =~ ^[1-9]$ ]] || { echo "usage: $0 [NODE COUNTS, 1 to 9 ...]" >&2; exit 2; }
done
for tool in mosquitto mosquitto_sub curl psql python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

# Build the jar when needed (bin/meshhub does it), without running anything else.
"$root/bin/meshhub" --version >/dev/null

bench_workdir cluster

loadavg() {
  cut -d ' ' -f 1-3 /proc/loadavg
}

# meshhub_ingest_messages_total of one node, summed over its labels (0 when it does not answer).
ingested() {
  curl -fsS "http://127.0.0.1:$1/metrics" 2>/dev/null \
    | awk '$1 ~ /^meshhub_ingest_messages_total/ { s += $2 } END { printf "%d\n", s }'
}

run_cluster() {
  local n="$1"
  local dir="$work/n$n"
  mkdir -p "$dir"
  local broker_port prefix schema
  broker_port="$(free_port)"
  prefix="bench-cluster-$$-$n"
  schema="bench_cluster_$$_$n"
  schemas+=("$schema")

  start_broker "$dir" "$broker_port" "$BROKER_MAX_INFLIGHT" || return 1

  local -a cluster_ports api_ports seeds=()
  local i
  for ((i = 1; i <= n; i++)); do
    cluster_ports[i]="$(free_port)"
    api_ports[i]="$(free_port)"
    seeds+=("127.0.0.1:${cluster_ports[i]}")
  done
  local seed_list
  seed_list="$(IFS=,; echo "${seeds[*]}")"

  # One persistent session per node, subscribed to its shared subscription, so the pre-filled load waits in them.
  for ((i = 1; i <= n; i++)); do
    mosquitto_sub -h 127.0.0.1 -p "$broker_port" -i "bench-cluster-$$-$n-$i" -c -q 1 -E \
      -t "\$share/$GROUP/$prefix/+/+/packets" -t "\$share/$GROUP/$prefix/+/+/status" \
      -t "\$share/$GROUP/$prefix/+/+/internal" -t "\$share/$GROUP/$prefix/+/event/+"
  done

  echo "[$n node(s)] pre-filling the broker: simulate $RATE receptions/s for $DURATION"
  env MQTT_HOST=127.0.0.1 MQTT_PORT="$broker_port" MQTT_PREFIX="$prefix" \
    java -Xmx512m -jar "$jar" simulate --target mqtt --nodes "$NODES" --observers "$OBSERVERS" --seed "$SEED" \
    --rate "$RATE" --duration "$DURATION" >"$dir/simulate.log"
  local summary published statuses expected
  summary="$(grep '^Published ' "$dir/simulate.log")"
  published="$(sed -E 's/^Published ([0-9]+) receptions.*/\1/' <<<"$summary")"
  statuses="$(sed -E 's/.* and ([0-9]+) status messages.*/\1/' <<<"$summary")"
  expected=$((published + statuses))
  echo "[$n node(s)] $published receptions and $statuses status messages queued; starting the nodes"

  local -a node_pids
  for ((i = 1; i <= n; i++)); do
    (cd "$dir" && exec env DATABASE_BACKEND=postgres DATABASE_URL="$PG_URL" DATABASE_SCHEMA="$schema" \
      MQTT_ENABLED=true MQTT_HOST=127.0.0.1 MQTT_PORT="$broker_port" MQTT_PREFIX="$prefix" \
      MQTT_CLIENT_ID="bench-cluster-$$-$n-$i" MQTT_MAX_INFLIGHT="$MQTT_MAX_INFLIGHT" \
      MQTT_SHARED_SUBSCRIPTION=true MQTT_SHARED_GROUP="$GROUP" \
      CLUSTER_HOST=127.0.0.1 CLUSTER_PORT="${cluster_ports[i]}" CLUSTER_SEED_NODES="$seed_list" \
      API_HOST=127.0.0.1 API_PORT="${api_ports[i]}" \
      java $JAVA_OPTS -jar "$jar" serve >"$dir/node$i.log" 2>&1) &
    node_pids[i]=$!
    pids+=($!)
  done

  local deadline=$((SECONDS + 180))
  for ((i = 1; i <= n; i++)); do
    await_ready "${api_ports[i]}" "${node_pids[i]}" "$dir/node$i.log" "node $i of $n" $((deadline - SECONDS)) || return 1
  done

  local t0 load0 before=0 count shares t_done
  t0="$(now)"
  load0="$(loadavg)"
  for ((i = 1; i <= n; i++)); do
    before=$((before + $(ingested "${api_ports[i]}")))
  done
  echo "[$n node(s)] all ready; $before of $expected messages ingested while they started; draining the rest"
  deadline=$((SECONDS + WAIT_SECONDS))
  while :; do
    count=0
    shares=""
    for ((i = 1; i <= n; i++)); do
      local c
      c="$(ingested "${api_ports[i]}")"
      count=$((count + c))
      shares="${shares:+$shares/}$c"
    done
    if [ "$count" -ge "$expected" ]; then
      t_done="$(now)"
      break
    fi
    for ((i = 1; i <= n; i++)); do
      if ! kill -0 "${node_pids[i]}" 2>/dev/null; then
        echo "error: node $i of $n exited while draining; its log:" >&2
        tail -n 30 "$dir/node$i.log" >&2
        return 1
      fi
    done
    if [ $SECONDS -ge $deadline ]; then
      echo "error: $n node(s) ingested $count of $expected messages within ${WAIT_SECONDS}s" >&2
      return 1
    fi
    sleep 0.2
  done
  local load1
  load1="$(loadavg)"
  awk -v n="$n" -v p="$published" -v s="$statuses" -v b="$before" -v e="$expected" -v t0="$t0" -v td="$t_done" \
    -v sh="$shares" -v l0="$load0" -v l1="$load1" -v c="$(nproc)" 'BEGIN {
      printf "RESULT nodes=%d receptions=%d status=%d drained=%d seconds=%.1f drain_rate=%.0f/s per_node=%s load_start=%s load_end=%s cores=%d\n",
        n, p, s, e - b, td - t0, (e - b) / (td - t0), sh, l0, l1, c }' | tee -a "$work/results.txt"

  for ((i = 1; i <= n; i++)); do
    kill "${node_pids[i]}" 2>/dev/null || true
  done
  for ((i = 1; i <= n; i++)); do
    wait "${node_pids[i]}" 2>/dev/null || true
  done
}

echo "Cluster ingest: $(nproc) cores, $(java -version 2>&1 | head -n 1); RATE=$RATE DURATION=$DURATION NODES=$NODES OBSERVERS=$OBSERVERS BROKER_MAX_INFLIGHT=$BROKER_MAX_INFLIGHT MQTT_MAX_INFLIGHT=$MQTT_MAX_INFLIGHT"
status=0
for n in "${counts[@]}"; do
  run_cluster "$n" || status=1
done
print_results
exit $status
