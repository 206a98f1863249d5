#!/usr/bin/env bash
# Creates MeshHub's PostgreSQL role and database if missing and grants it CONNECT and CREATE on the database.
# Safe to run any number of times. Reads the same variables as MeshHub:
#   DATABASE_NAME (meshhub), DATABASE_USER (meshhub), DATABASE_PASSWORD (required)
# Connects as the administrator given by the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD), or the
# local socket. In the compose file it runs once when the postgres volume is first initialised.
set -euo pipefail
: "${DATABASE_PASSWORD:?DATABASE_PASSWORD is required: the password of the MeshHub role}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
psql -v ON_ERROR_STOP=1 -q \
  -v db="${DATABASE_NAME:-meshhub}" \
  -v role="${DATABASE_USER:-meshhub}" \
  -v password="${DATABASE_PASSWORD}" \
  --dbname "${PROVISION_ADMIN_DB:-postgres}" \
  -f "${PROVISION_SQL:-$here/provision.sql}"
echo "PostgreSQL role ${DATABASE_USER:-meshhub} and database ${DATABASE_NAME:-meshhub} are ready"
