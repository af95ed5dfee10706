#!/usr/bin/env bash
# Times `recoup import` of one file with several builds, alternately, each into a fresh SQLite database (or a fresh
# PostgreSQL database when DATABASE_URL names a server: one database per run is created beside the URL's and dropped
# afterwards), so that a busy machine weighs on every build alike. Each run prints the load average before it and the
# CPU time it used (user + system, both threads: less swayed than the wall clock by other work on the machine).
#
#   Benchmarks/import-compare.sh FILE ROUNDS LABEL=RECOUP_BINARY...
#   DATABASE_URL=postgres://user:password@host:port/db Benchmarks/import-compare.sh FILE ROUNDS LABEL=RECOUP_BINARY...
#
# The file is in the IBM accounts-receivable layout (`recoup demo --format ibm-ar --accounts 1000000 --seed 42
# --today 2026-11-29 --output FILE`). Builds run under `nice -n 5`. Prints a Markdown table; a benchmark, not a test.
set -euo pipefail
file=$(readlink -f "$1")
rounds=$2
shift 2
rows=$(($(wc -l < "$file") - 1))
dir=$(mktemp -d /tmp/recoup-import-compare.XXXXXX)
trap 'rm -rf "$dir"' EXIT
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }

echo "| round | build | seconds | rows/s | CPU seconds (user + system) | peak RSS MB | load average before |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    label=${spec%%=*}
    binary=$(readlink -f "${spec#*=}")
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if [ -n "${DATABASE_URL:-}" ]; then
      name="import_compare_${round}_${label//[^a-zA-Z0-9]/_}"
      server=${DATABASE_URL%/*}
      psql -X -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
      DATABASE_URL="$server/$name" /usr/bin/time -f "%e %U %S %M" -o "$dir/time" nice -n 5 "$binary" import --format ibm-ar \
        "$file" --client bench > "$dir/out" 2> "$dir/err"
      psql -X -q "$DATABASE_URL" -c "DROP DATABASE $name"
    else
      rm -f "$dir/recoup.sqlite"*
      env -u DATABASE_URL /usr/bin/time -f "%e %U %S %M" -o "$dir/time" nice -n 5 "$binary" import --format ibm-ar "$file" \
        --client bench --database "$dir/recoup.sqlite" > "$dir/out" 2> "$dir/err"
    fi
    grep -q "\"imported\":$rows" "$dir/out" || { echo "$label did not import $rows rows:" >&2; cat "$dir/out" "$dir/err" >&2; exit 1; }
    read -r seconds user system kb < <(tail -n 1 "$dir/time")
    cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.1f", u + s }')
    rate=$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
    echo "| $round | $label | $seconds | $rate | $cpu | $((kb / 1024)) | $load |"
  done
done
