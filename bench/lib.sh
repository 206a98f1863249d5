# What the benchmark scripts share; sourced by them (`. "$root/bench/lib.sh"`), not run.
#
#   bench_workdir NAME    a scratch folder in $work; on exit every pid in $pids is stopped, every schema in $schemas
#                         dropped from $PG_URL and $work removed
#   free_port             a free TCP port on 127.0.0.1
#   now                   seconds since the epoch, with fractions
#   start_broker DIR PORT MAX_INFLIGHT
#                         a private Mosquitto on 127.0.0.1:PORT (no queue limit, no persistence), its pid in $pids,
#                         once it accepts connections
#   await_ready PORT PID LOG WHAT SECONDS
#                         waits until the MeshHub of PID answers 200 at /health/ready on PORT; when it exits or
#                         SECONDS pass, says WHAT did not become ready, shows the end of LOG and fails
#   print_results         the RESULT lines gathered in $work/results.txt, once more at the end

bench_workdir() {
  work="$(mktemp -d -t "meshhub-$1.XXXXXX")"
  pids=()
  schemas=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  for schema in "${schemas[@]}"; do
    if command -v psql >/dev/null; then
      psql -q "$PG_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$work"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

now() {
  date +%s.%N
}

start_broker() {
  local dir="$1" port="$2" inflight="$3"
  cat >"$dir/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages $inflight
EOF
  mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
  pids+=($!)
  local deadline=$((SECONDS + 20))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "error: the private broker did not start; its log:" >&2; tail -n 20 "$dir/mosquitto.log" >&2; return 1; }
    sleep 0.2
  done
}

await_ready() {
  local port="$1" pid="$2" log="$3" what="$4" deadline=$((SECONDS + $5))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "error: $what did not become ready; its log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
}

print_results() {
  if [ -f "$work/results.txt" ]; then
    echo
    cat "$work/results.txt"
  fi
}
