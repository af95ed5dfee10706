#!/usr/bin/env bash
# End-to-end benchmark of the real binary: import of a generated 1,000,000-row file in the IBM
# accounts-receivable layout into SQLite, the aging report over it, and the anchor measured in the same run:
# the sqlite3 command-line tool's `.import` of the same file into a bare 12-column table and into one with a
# unique index on the invoice number.
#
#   Benchmarks/import-benchmark.sh [ROWS]        (default 1000000; needs sqlite3 and GNU time)
#   BENCH_DIR=/tmp/x Benchmarks/import-benchmark.sh
#   DATABASE_URL=postgres://… Benchmarks/import-benchmark.sh   also imports into that PostgreSQL database
#
# Prints a Markdown table for docs/performance.md. It is a benchmark, not a test: nothing here fails on time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows=${1:-1000000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-bench.XXXXXX)}
mkdir -p "$dir"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }

echo "building release binary…" >&2
swift build -c release --product recoup >&2
recoup=$(swift build -c release --show-bin-path)/recoup
file="$dir/ibm-$rows.csv"
if [ ! -f "$file" ]; then
  "$recoup" demo --format ibm-ar --accounts "$rows" --seed 42 --today 2026-11-29 --output "$file"
fi

# timed LABEL COMMAND…: runs once, records seconds and peak RSS (MB).
declare -A seconds memory
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/$label.out" 2> "$dir/$label.err"
  read -r s kb < <(tail -n 1 "$dir/time.txt")
  seconds[$label]=$s
  memory[$label]=$((kb / 1024))
}

header=$(head -n 1 "$file")
columns=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" TEXT/' | paste -sd, -)
rm -f "$dir/anchor-bare.sqlite" "$dir/anchor-unique.sqlite" "$dir/recoup.sqlite"*
timed sqlite3-bare sqlite3 "$dir/anchor-bare.sqlite" "CREATE TABLE ar ($columns);" ".mode csv" ".import --skip 1 $file ar"
timed sqlite3-unique sqlite3 "$dir/anchor-unique.sqlite" "CREATE TABLE ar ($columns);" \
  'CREATE UNIQUE INDEX ar_invoice ON ar ("invoiceNumber");' ".mode csv" ".import --skip 1 $file ar"
timed recoup-import env -u DATABASE_URL "$recoup" import --format ibm-ar "$file" --database "$dir/recoup.sqlite"
timed recoup-reimport env -u DATABASE_URL "$recoup" import --format ibm-ar "$file" --database "$dir/recoup.sqlite"
timed recoup-aging env -u DATABASE_URL "$recoup" report aging --as-of 2025-06-30 --database "$dir/recoup.sqlite"
timed recoup-aging-today env -u DATABASE_URL "$recoup" report aging --as-of 2026-11-29 --database "$dir/recoup.sqlite"
if [ -n "${DATABASE_URL:-}" ]; then
  timed postgres-import "$recoup" import --format ibm-ar "$file" --client "bench-$$"
  timed postgres-aging "$recoup" report aging --as-of 2025-06-30 --client "bench-$$"
fi

grep -q "\"imported\":$rows" "$dir/recoup-import.out" || { echo "the import did not import $rows rows:" >&2; cat "$dir/recoup-import.out" "$dir/recoup-import.err" >&2; exit 1; }
rate() { awk -v r="$rows" -v s="$1" 'BEGIN { printf "%.0f", r / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "| measurement ($rows rows, $(nproc) cores) | seconds | rows/s | peak RSS MB |"
echo "|---|---|---|---|"
for label in sqlite3-bare sqlite3-unique recoup-import recoup-reimport postgres-import; do
  [ -n "${seconds[$label]:-}" ] || continue
  echo "| $label | ${seconds[$label]} | $(rate "${seconds[$label]}") | ${memory[$label]} |"
done
for label in recoup-aging recoup-aging-today postgres-aging; do
  [ -n "${seconds[$label]:-}" ] || continue
  echo "| $label (aggregate over $rows debts) | ${seconds[$label]} | | ${memory[$label]} |"
done
echo
echo "recoup import / sqlite3 .import (bare): $(ratio "${seconds[recoup-import]}" "${seconds[sqlite3-bare]}")× the time;" \
  "/ sqlite3 .import with unique index: $(ratio "${seconds[recoup-import]}" "${seconds[sqlite3-unique]}")× the time"
echo "files in $dir"
