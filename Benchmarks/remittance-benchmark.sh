#!/usr/bin/env bash
# The agency's remittance close (issue 16) end to end with the real binary, on SQLite: ACCOUNTS placed accounts (default
# 50,000, half of them more than 180 days past due so both rate tiers apply), PAYMENTS payments on them (default
# 100,000: two an account over August, one in ten paid to the client directly, one in a hundred reversed), imported with
# `recoup payment import`, then timed:
#   remittance-close   `recoup remittance close --through 2026-08-31`: every payment onto one statement
#   close-again        the same day again: nothing new (the statement is answered again)
#   trust-check        `recoup trust check`
# and the anchor in the same run, on a copy of the same database before the close: the sqlite3 command-line tool
# marking the same rows with one UPDATE and summing them with one GROUP BY (the least the close must do).
#
#   Benchmarks/remittance-benchmark.sh [PAYMENTS]          (needs sqlite3 and GNU time)
#   RECOUP_BINARY=path Benchmarks/remittance-benchmark.sh  times that binary instead of building the release one
#
# Prints Markdown for docs/performance.md. A benchmark, not a test: nothing fails on time, only on a wrong count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
payments=${1:-100000}
accounts=$(( (payments + 1) / 2 ))
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-remittance-bench.XXXXXX)}
mkdir -p "$dir"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }
if [ -n "${RECOUP_BINARY:-}" ]; then
  recoup=$(readlink -f "$RECOUP_BINARY")
else
  echo "building the release binary…" >&2
  swift build -c release --product recoup >&2
  recoup=$(swift build -c release --show-bin-path)/recoup
fi
unset DATABASE_URL

rm -f "$dir"/*.sqlite* "$dir"/*.csv
cat > "$dir/contract.json" <<'EOF'
{"remittance": "net", "directPaymentCommission": true,
 "rates": [{"upToDaysAtPlacement": 180, "percent": "25"}, {"percent": "33.5"}],
 "freeDemand": {"days": 14, "percent": "0"}}
EOF
awk -v n="$accounts" 'BEGIN {
  print "debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal"
  for (i = 1; i <= n; i++)
    printf "P%07d,D%07d,consumer,Debtor %d,%s,%s,%d.%02d\n", i, i, i, (i % 2 ? "2026-03-01" : "2025-09-01"),
      (i % 2 ? "2026-04-01" : "2025-10-01"), 200 + i % 800, i % 100
}' > "$dir/placements.csv"
awk -v n="$payments" -v a="$accounts" 'BEGIN {
  print "debt,amount,on,key,received_by,reverses"
  for (i = 1; i <= n; i++) {
    account = (i - 1) % a + 1
    printf "P%07d,%d.%02d,2026-08-%02d,pay-%d,%s,\n", account, 10 + i % 50, i % 100, 1 + i % 28, i, (i % 10 == 0 ? "client" : "agency")
    if (i % 100 == 1) printf "P%07d,,2026-08-29,rev-%d,,pay-%d\n", account, i, i
  }
}' > "$dir/payments.csv"

"$recoup" agency contract --client bench "$dir/contract.json" --database "$dir/recoup.sqlite" > /dev/null
"$recoup" placement import "$dir/placements.csv" --client bench --placed-on 2026-07-01 \
  --acknowledgement "$dir/acknowledgement.csv" --database "$dir/recoup.sqlite" > "$dir/placement.out"
grep -q "\"accepted\":$accounts," "$dir/placement.out" || { echo "not every account was placed" >&2; head -c 400 "$dir/placement.out" >&2; exit 1; }

declare -A seconds memory
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/$label.out" 2> "$dir/$label.err"
  read -r s kb < <(tail -n 1 "$dir/time.txt")
  seconds[$label]=$s
  memory[$label]=$((kb / 1024))
}

timed payment-import "$recoup" payment import "$dir/payments.csv" --client bench --database "$dir/recoup.sqlite"
rows=$(sqlite3 "$dir/recoup.sqlite" "SELECT COUNT(*) FROM trust_entries")
cp "$dir/recoup.sqlite" "$dir/anchor.sqlite"
timed sqlite3-anchor sqlite3 "$dir/anchor.sqlite" \
  "UPDATE trust_entries SET statement_id = 1 WHERE client_id = 1 AND statement_id IS NULL AND on_day <= 20696;" \
  "SELECT kind, SUM(amount), SUM(commission), COUNT(*) FROM trust_entries WHERE statement_id = 1 GROUP BY kind;"
timed remittance-close "$recoup" remittance close --client bench --through 2026-08-31 --database "$dir/recoup.sqlite"
timed close-again "$recoup" remittance close --client bench --through 2026-08-31 --database "$dir/recoup.sqlite"
timed trust-check "$recoup" trust check --database "$dir/recoup.sqlite"

grep -q "\"lines\":$rows," "$dir/remittance-close.out" || { echo "the statement does not hold all $rows movements:" >&2; cat "$dir/remittance-close.out" >&2; exit 1; }
grep -q '"created":false' "$dir/close-again.out" || { echo "the second close created something" >&2; exit 1; }
grep -q '"reconciles":true' "$dir/trust-check.out" || { echo "the trust check failed:" >&2; cat "$dir/trust-check.out" "$dir/trust-check.err" >&2; exit 1; }

echo "| measurement ($payments payments and reversals: $rows trust movements over $accounts placed accounts, $(nproc) cores) | seconds | peak RSS MB |"
echo "|---|---|---|"
for label in payment-import sqlite3-anchor remittance-close close-again trust-check; do
  echo "| $label | ${seconds[$label]} | ${memory[$label]} |"
done
echo
echo "statement: $(cat "$dir/remittance-close.out")"
echo "files in $dir"
