#!/usr/bin/env bash
# End-to-end benchmark of the real binary: `recoup report liquidation` (the stair-step, issue 16) over PLACED
# accounts placed with the agency (default 1,000,000) in SQLite, and the anchor measured in the same run over the
# same database: `recoup report aging`, one aggregate over the same ledger.
#
# The debts are imported by the binary (`recoup import` of a generated IBM-layout file); the placements (one per
# debt, with the balance the ledger had on the placement day) and more payments on some of them (one in five placed
# accounts pays a third once more, one in ten of those payments is direct to the client, one in fifty is reversed) are
# inserted with sqlite3, since `recoup placement import` is not the subject here, with the trust movements the
# payments would have written when posted (which the reports read).
#
#   Benchmarks/liquidation-benchmark.sh [PLACED]     (needs sqlite3 and GNU time)
#   BENCH_DIR=/tmp/x Benchmarks/liquidation-benchmark.sh   (keeps the generated database between runs)
#
# Prints a Markdown table for docs/performance.md. It is a benchmark, not a test: nothing here fails on time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
placed=${1:-1000000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-liquidation-bench.XXXXXX)}
mkdir -p "$dir"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }
unset DATABASE_URL

echo "building release binary…" >&2
swift build -c release --product recoup >&2
recoup=$(swift build -c release --show-bin-path)/recoup
# BENCH_PLACED_AFTER=charge (default): each debt placed 1 to 28 days after it was charged, so nearly every settlement
# the import recorded is a payment on a placed account (about 1.1 million): the heavy case. =due: placed 45 to 72 days
# after its due date, when most are already paid (a few thousand payments after placement).
mode=${BENCH_PLACED_AFTER:-charge}
case $mode in
  charge) placed_on="MIN(charged_on + 1 + (id % 28), 20786)" ;;
  due) placed_on="MIN(due_on + 45 + (id % 28), 20786)" ;;
  *) echo "BENCH_PLACED_AFTER is charge or due" >&2; exit 2 ;;
esac
# (-trust: the database has the trust movements the reports read since M029; an older one is not reused.)
db="$dir/recoup-$placed-$mode-trust.sqlite"

if [ ! -f "$db" ]; then
  echo "generating $placed debts, placements and payments…" >&2
  "$recoup" demo --format ibm-ar --accounts "$placed" --seed 42 --today 2026-11-29 --output "$dir/debts.csv"
  "$recoup" import --format ibm-ar "$dir/debts.csv" --client bench --database "$db.tmp" > /dev/null
  sqlite3 "$db.tmp" <<SQL
PRAGMA cache_size = -262144;
BEGIN;
INSERT INTO agency_contracts (client_id, version, remittance, direct_commission, schedule, remit_days, hold_days,
  saved_at) SELECT id, 1, 'net', 1, 'monthly', 30, 0, 0 FROM clients WHERE ref = 'bench';
-- The balance at placement is what the ledger said on the placement day; settlements dated later are collections.
INSERT INTO agency_placements (client_id, debt_id, contract_id, placed_on, currency, balance_at_placement,
  days_at_placement, rate, created_at, created_by)
  SELECT d.client_id, d.id, 1, d.placed_on, d.currency,
    (SELECT COALESCE(SUM(e.total), 0) FROM ledger_entries e WHERE e.debt_id = d.id AND e.effective_on <= d.placed_on),
    120, 25000, 0, 'bench'
  FROM (SELECT id, client_id, currency, $placed_on AS placed_on FROM debts) d ORDER BY d.id;
-- One placed account in five also pays a third of its balance at placement, 1 to 150 days after placement
-- (payments after 2026-11-29 are left out).
INSERT INTO ledger_entries (debt_id, idempotency_key, kind, effective_on, amount, principal, interest, fees, total,
  reversed_key, created_at, received_by)
  SELECT p.debt_id, 'bench-pay', 'payment', p.placed_on + 1 + (p.debt_id % 150), p.balance_at_placement / 3,
    -(p.balance_at_placement / 3), 0, 0, -(p.balance_at_placement / 3), NULL, 0,
    CASE WHEN p.debt_id % 50 = 5 THEN 'client' END
  FROM agency_placements p WHERE p.debt_id % 5 = 0 AND p.placed_on + 1 + (p.debt_id % 150) <= 20786
    AND p.balance_at_placement >= 3;
-- One payment in fifty is reversed (NSF) ten days later.
INSERT INTO ledger_entries (debt_id, idempotency_key, kind, effective_on, amount, principal, interest, fees, total,
  reversed_key, created_at)
  SELECT debt_id, 'bench-nsf', 'payment_reversal', effective_on + 10, amount, -principal, 0, 0, -total,
    'bench-pay', 0
  FROM ledger_entries WHERE idempotency_key = 'bench-pay' AND debt_id % 250 = 0;
-- Every payment to a placed account from its placement on, and every reversal of one, has its trust movement, as
-- recoup payment post and payment files write them (TrustStore.record; the reports read these): the commission at
-- the placement's rate, the placement's date, the payment's day, within the placement (none is closed here).
INSERT INTO trust_entries (client_id, currency, kind, amount, on_day, release_on, debt_id, placement_id, ledger_key,
  rate, commission, created_at, placed_on, paid_on, in_placement)
  SELECT p.client_id, p.currency, CASE WHEN e.received_by = 'client' THEN 'direct' ELSE 'received' END, e.amount,
    e.effective_on, CASE WHEN e.received_by = 'client' THEN NULL ELSE e.effective_on END, e.debt_id, p.id,
    e.idempotency_key, p.rate, (e.amount * p.rate + 50000) / 100000, 0, p.placed_on, e.effective_on, 1
  FROM agency_placements p JOIN ledger_entries e ON e.debt_id = p.debt_id
  WHERE e.kind = 'payment' AND e.effective_on >= p.placed_on ORDER BY e.debt_id, e.effective_on;
INSERT INTO trust_entries (client_id, currency, kind, amount, on_day, debt_id, placement_id, ledger_key, payment_key,
  rate, commission, created_at, placed_on, paid_on, in_placement)
  SELECT t.client_id, t.currency, CASE t.kind WHEN 'direct' THEN 'direct_reversed' ELSE 'reversed' END, t.amount,
    r.effective_on, r.debt_id, t.placement_id, r.idempotency_key, t.ledger_key, t.rate, t.commission, 0, t.placed_on,
    t.paid_on, t.in_placement
  FROM ledger_entries r JOIN trust_entries t ON t.debt_id = r.debt_id AND t.ledger_key = r.reversed_key
  WHERE r.kind = 'payment_reversal';
COMMIT;
ANALYZE;
SQL
  mv "$db.tmp" "$db"
fi
counts=$(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM agency_placements), (SELECT COUNT(*) FROM ledger_entries),
  (SELECT COUNT(*) FROM ledger_entries WHERE idempotency_key LIKE 'bench-%'), (SELECT COUNT(*) FROM trust_entries)")

# timed LABEL COMMAND…: runs once, records seconds and peak RSS (MB).
declare -A seconds memory
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/$label.out" 2> "$dir/$label.err"
  read -r s kb < <(tail -n 1 "$dir/time.txt")
  seconds[$label]=$s
  memory[$label]=$((kb / 1024))
}

# Each twice: the first run reads the file from disk (or the page cache), the second is warm.
for round in 1 2; do
  timed "aging-$round" "$recoup" report aging --as-of 2026-11-29 --database "$db"
  timed "liquidation-$round" "$recoup" report liquidation --as-of 2026-11-29 --format json --database "$db"
  timed "liquidation-csv-$round" "$recoup" report liquidation --as-of 2026-11-29 --format csv --database "$db"
  timed "recovery-$round" "$recoup" report recovery --as-of 2026-11-29 --format json --database "$db"
done
grep -q '"total":{"accounts":'"$placed"',' "$dir/liquidation-1.out" || {
  echo "the liquidation report did not come out as expected:" >&2
  head -c 600 "$dir/liquidation-1.out" "$dir/liquidation-1.err" >&2
  exit 1
}

echo "placed after $mode; placements, ledger entries, added payments and reversals, trust movements: ${counts//|/, } ($(nproc) cores)"
echo
echo "| measurement | run 1 | run 2 |"
echo "|---|---|---|"
for label in aging liquidation liquidation-csv recovery; do
  echo "| $label | ${seconds[$label-1]} s · ${memory[$label-1]} MB | ${seconds[$label-2]} s · ${memory[$label-2]} MB |"
done
echo
echo "liquidation total (JSON): $(grep -o '"total":{[^}]*}' "$dir/liquidation-1.out")"
echo "files in $dir"
