#!/usr/bin/env bash
# How soon the dashboard's overview shows its first figures on a large network, in a real headless Chromium.
#
#   bench/dashboard-overview.sh [sqlite|postgres] [NODES] [MESSAGES]
#
# Writes the read models of NODES nodes (an advert each) and MESSAGES messages (defaults 10,000 and 1,000,000) with
# the loader of `meshhub benchmark read-model` (the projections' own writers) into a fresh SQLite file or
# PostgreSQL schema (127.0.0.1:5432, user postgres), starts MeshHub on it, and opens the overview 5 times in a new
# browser (cold cache) and reloads it 10 times (warm). Prints one RESULT
# line: first data in ms after navigation start (p50 and max, cold and warm) and the time of the overview's first
# request (GET /api/v1/dashboard/stats) alone. Needs chromium and chromium-driver (Debian packages). Loading a
# million messages takes a few minutes; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"
nodes="${2:-10000}"
messages="${3:-1000000}"
mvn -B -q -o -pl app -am test -Dtest=DashboardOverviewBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmeshhub.bench.backend="$backend" -Dmeshhub.bench.nodes="$nodes" -Dmeshhub.bench.messages="$messages" 2>&1 | grep -E '^(RESULT|loaded)|FAIL|ERROR' || true
