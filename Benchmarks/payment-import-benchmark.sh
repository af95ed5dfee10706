#!/usr/bin/env bash
# End-to-end benchmark of the real binary: `recoup payment import` of a generated file of PAYMENTS payments
# (default 100,000: two for each of 50,000 imported debts) into SQLite, the same file again (every row
# already posted), and the anchor measured in the same run: the sqlite3 command-line tool's `.import` of the same
# file into a bare table and into one with a unique (debt, key) index.
#
#   Benchmarks/payment-import-benchmark.sh [PAYMENTS]     (needs sqlite3 and GNU time)
#
# Prints a Markdown table for docs/performance.md. It is a benchmark, not a test: nothing here fails on time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
payments=${1:-100000}
debts=$(( (payments + 1) / 2 ))
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-payment-bench.XXXXXX)}
mkdir -p "$dir"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }

echo "building release binary…" >&2
swift build -c release --product recoup >&2
recoup=$(swift build -c release --show-bin-path)/recoup
export -n DATABASE_URL 2>/dev/null || true
unset DATABASE_URL

rm -f "$dir"/*.sqlite*
"$recoup" demo --format ibm-ar --accounts "$debts" --seed 42 --today 2026-11-29 --output "$dir/debts.csv"
"$recoup" import --format ibm-ar "$dir/debts.csv" --client bench --database "$dir/recoup.sqlite" > /dev/null
# Two payments a debt, on different days, with method and reference: the shape of a processor's daily file.
sqlite3 "$dir/recoup.sqlite" "SELECT ref FROM debts ORDER BY id" | awk -v n="$payments" '
  BEGIN { print "debt,amount,on,key,method,reference" }
  { for (i = 1; i <= 2 && written < n; i++) { written++
      printf "%s,%d.%02d,2026-11-%02d,pay-%s-%d,card,AUTH-%07d\n", $1, 10 * i, NR % 100, 10 + i, $1, i, written } }
' > "$dir/payments.csv"

declare -A seconds memory
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/$label.out" 2> "$dir/$label.err"
  read -r s kb < <(tail -n 1 "$dir/time.txt")
  seconds[$label]=$s
  memory[$label]=$((kb / 1024))
}

timed sqlite3-bare sqlite3 "$dir/anchor-bare.sqlite" \
  "CREATE TABLE p (debt TEXT, amount TEXT, \"on\" TEXT, key TEXT, method TEXT, reference TEXT);" \
  ".mode csv" ".import --skip 1 $dir/payments.csv p"
timed sqlite3-unique sqlite3 "$dir/anchor-unique.sqlite" \
  "CREATE TABLE p (debt TEXT, amount TEXT, \"on\" TEXT, key TEXT, method TEXT, reference TEXT);" \
  "CREATE UNIQUE INDEX p_key ON p (debt, key);" ".mode csv" ".import --skip 1 $dir/payments.csv p"
timed recoup-payments "$recoup" payment import "$dir/payments.csv" --client bench --database "$dir/recoup.sqlite"
timed recoup-payments-again "$recoup" payment import "$dir/payments.csv" --client bench --database "$dir/recoup.sqlite"

grep -q "\"posted\":$payments," "$dir/recoup-payments.out" || { echo "the import did not post $payments payments:" >&2; head -c 600 "$dir/recoup-payments.out" "$dir/recoup-payments.err" >&2; exit 1; }
grep -q "\"alreadyPosted\":$payments," "$dir/recoup-payments-again.out" || { echo "the second import posted something:" >&2; head -c 600 "$dir/recoup-payments-again.out" >&2; exit 1; }
rate() { awk -v r="$payments" -v s="$1" 'BEGIN { printf "%.0f", r / s }'; }
echo "| measurement ($payments payments over $debts debts, $(nproc) cores) | seconds | payments/s | peak RSS MB |"
echo "|---|---|---|---|"
for label in sqlite3-bare sqlite3-unique recoup-payments recoup-payments-again; do
  echo "| $label | ${seconds[$label]} | $(rate "${seconds[$label]}") | ${memory[$label]} |"
done
echo "files in $dir"
