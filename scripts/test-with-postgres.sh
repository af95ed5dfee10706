#!/usr/bin/env bash
# Runs the test suite against a throwaway PostgreSQL as well as SQLite:
#   scripts/test-with-postgres.sh [swift test arguments...]
# e.g. scripts/test-with-postgres.sh --filter RecoupStoreTests
# Needs the PostgreSQL server binaries (Debian: apt-get install postgresql-15). The server
# and its data directory are removed when the tests end, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=.ci/postgres.sh
source .ci/postgres.sh

trap pg_stop EXIT
pg_start
status=0
swift test "$@" || status=$?
exit "$status"
