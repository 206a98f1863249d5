#!/usr/bin/env bash
# Import benchmark: `meshhub db import-meshcore-hub` of a synthetic MeshCore Hub SQLite database (schema of its v0.18,
# written from the DDL the tests use) into MeshHub on SQLite and/or PostgreSQL.
#
# Usage: bench/meshcore-hub-import.sh [sqlite|postgres|both]        (default: both)
#
# Knobs (environment):
#   MESSAGES=100000 ADVERTS=25000 NODES=1000 OBSERVERS=3   the source: channel messages and adverts of NODES nodes,
#                            each heard by 1 to 2 x OBSERVERS - 1 observers (OBSERVERS on average), one
#                            event_observers row per observer that heard it
#   PG_URL=postgresql://postgres:trust@127.0.0.1:5432/postgres   the PostgreSQL server (a scratch schema is used)
#   JAVA_OPTS="-Xmx1g"       for the import's JVM
#
# The source is written once; each backend imports it into a scratch database (a temporary DATA_HOME, or a schema
# dropped afterwards). One RESULT line per backend: source rows, the import's own rate (source to journal, what the
# command reports), the time the read models took to catch up afterwards, and the whole command's wall time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backends="${1:-both}"
MESSAGES="${MESSAGES:-100000}"
ADVERTS="${ADVERTS:-25000}"
NODES="${NODES:-1000}"
OBSERVERS="${OBSERVERS:-3}"
PG_URL="${PG_URL:-postgresql://postgres:trust@127.0.0.1:5432/postgres}"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

case "$backends" in
  sqlite | postgres) ;;
  both) backends="sqlite postgres" ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac

work="$(mktemp -d -t meshhub-hub-import.XXXXXX)"
schemas=()
cleanup() {
  for schema in "${schemas[@]}"; do
    psql -q "$PG_URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The jar and the test classes that write MeshCore Hub databases.
(cd "$root" && mvn -B -q -DskipTests install >/dev/null)
(cd "$root/migration" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath.txt" >/dev/null)
source_db="$work/meshcore.db"
java -cp "$root/migration/target/test-classes:$root/migration/target/classes:$(cat "$work/classpath.txt")" \
  org.meshhub.migration.testing.MeshCoreHubFixture "$source_db" "$MESSAGES" "$ADVERTS" "$NODES" "$OBSERVERS"

for backend in $backends; do
  log="$work/import-$backend.log"
  if [ "$backend" = sqlite ]; then
    env_args=(DATA_HOME="$work/data-sqlite")
  else
    schema="bench_hub_import_$$"
    schemas+=("$schema")
    env_args=(DATABASE_BACKEND=postgres DATABASE_URL="$PG_URL" DATABASE_SCHEMA="$schema")
  fi
  echo "importing into $backend (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  start=$(date +%s.%N)
  if ! env -u DATABASE_BACKEND -u DATABASE_URL -u DATABASE_SCHEMA -u DATA_HOME "${env_args[@]}" \
      java $JAVA_OPTS -jar "$root/app/target/meshhub.jar" db import-meshcore-hub "$source_db" >"$log" 2>&1; then
    echo "error: the import into $backend failed:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  imported=$(grep -m1 '^Imported ' "$log")
  rows=$(echo "$imported" | sed -E 's/^Imported ([0-9,]+) source rows.*/\1/' | tr -d ,)
  rate=$(echo "$imported" | sed -E 's/.*: ([0-9,]+) rows\/s$/\1/' | tr -d ,)
  read_side=$(grep -m1 '^Read models up to date' "$log" | sed -E 's/.* in (.*)$/\1/')
  whole=$(echo "$end - $start" | bc)
  printf 'RESULT meshcore-hub-import backend=%s source_rows=%s import_rows_per_s=%s read_models=%s whole_s=%.1f' \
    "$backend" "$rows" "$rate" "'$read_side'" "$whole"
  printf ' whole_rows_per_s=%.0f load=%s\n' "$(echo "$rows / $whole" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
done
