#!/usr/bin/env bash
# The daily run (`recoup run`, issue 14) end to end with the real binary, on a generated portfolio: DEBTS open
# consumer debts (default 1,000,000; two per debtor, phones across the US zones, due dates over two years), about 10
# contact events per debt over the last year, promises on 2%, a few ceases and disputes (Benchmarks/work-queue-data.py).
#
#   Benchmarks/run-benchmark.sh [DEBTS]
#   BENCH_DIR=/tmp/x Benchmarks/run-benchmark.sh        keeps the generated database there; reruns skip generating it
#   RECOUP_BINARY=path Benchmarks/run-benchmark.sh      times that binary instead of building the release one
#   TODAY=2026-12-05 Benchmarks/run-benchmark.sh        the run's date (default: today, UTC)
#   DATABASE_URL=postgres://… Benchmarks/run-benchmark.sh   also on PostgreSQL (PG_DEBTS debts, default 200,000):
#       one `recoup run`, then two started together on a fresh copy, and the check that both created what one did
#
# On SQLite it times, each on a fresh copy of the generated database (so it can be repeated):
#   segment-refresh   the anchor: `recoup segment refresh` reads the same facts of every debt and stores segments
#   dry-run           `recoup run --as-of TODAY --dry-run`: decides everything, records nothing
#   run               `recoup run --as-of TODAY`: the first run over a fresh portfolio, its worst case (every debt
#                     has a step due and the steps it passed over to record as skipped)
#   rerun             the same date again on that copy: nothing new (exactly once)
#   next-day          TODAY + 1 on that copy: the steady daily run
# and reports seconds, debts/s (open debts looked at / seconds) and peak RSS. PostgreSQL's databases are made with
# CREATE DATABASE … TEMPLATE (the role needs CREATEDB, as .ci/postgres.sh's has). Prints Markdown for
# docs/performance.md. A benchmark, not a test: nothing fails on time, only on a wrong count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
debts=${1:-1000000}
pg_debts=${PG_DEBTS:-200000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-run-bench.XXXXXX)}
mkdir -p "$dir"
today=${TODAY:-$(date -u +%Y-%m-%d)}
tomorrow=$(date -u -d "$today + 1 day" +%Y-%m-%d)
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
if [ -n "${RECOUP_BINARY:-}" ]; then
  recoup=$(readlink -f "$RECOUP_BINARY")
else
  echo "building the release binary…" >&2
  swift build -c release --product recoup >&2
  recoup=$(swift build -c release --show-bin-path)/recoup
fi
pg_url=${DATABASE_URL:-}
unset DATABASE_URL

# So that messages go out: an email for 80% of the debtors and a home address for 60% (its state the one of the phone's
# area code, so the address adds no other zone), as the client's file would give them.
state_of_area="CASE substr(p.value, 3, 3) WHEN '212' THEN 'NY' WHEN '617' THEN 'MA' WHEN '404' THEN 'GA' \
  WHEN '305' THEN 'FL' WHEN '215' THEN 'PA' WHEN '312' THEN 'IL' WHEN '214' THEN 'TX' WHEN '713' THEN 'TX' \
  WHEN '303' THEN 'CO' WHEN '602' THEN 'AZ' WHEN '213' THEN 'CA' WHEN '415' THEN 'CA' WHEN '206' THEN 'WA' \
  WHEN '907' THEN 'AK' ELSE 'HI' END"
contact_details="INSERT INTO contact_points (debtor_id, kind, value, type, city, state, postal_code, country, created_at) \
  SELECT p.debtor_id, 'email', 'p' || p.debtor_id || '@example.com', 'other', NULL, NULL, NULL, NULL, p.created_at \
  FROM contact_points p WHERE p.kind = 'phone' AND (p.debtor_id * 7919) % 10 < 8; \
  INSERT INTO contact_points (debtor_id, kind, value, type, city, state, postal_code, country, created_at) \
  SELECT p.debtor_id, 'address', (100 + p.debtor_id % 9000) || ' Main Street', 'home', 'Springfield', $state_of_area, \
  NULL, 'US', p.created_at FROM contact_points p WHERE p.kind = 'phone' AND (p.debtor_id / 10 * 7) % 10 < 6;"

# The client's name and contact details, which every message names (the message check refuses one without them).
client_profile=(--name "Bench Lending" --phone "(617) 555-0100" --email billing@bench.example
  --address "1 Main Street\nBoston, MA 02108" --payment-link https://pay.bench.example)

# The portfolio, generated once per size and date.
csv="$dir/portfolio-$debts-$today.csv"
base="$dir/portfolio-$debts-$today.sqlite"
if [ ! -f "$csv" ]; then
  echo "generating $debts debts…" >&2
  python3 Benchmarks/work-queue-data.py csv "$csv.tmp" "$debts" "$today"
  mv "$csv.tmp" "$csv"
fi
if [ ! -f "$base" ]; then
  echo "importing them and adding the history…" >&2
  rm -f "$base.tmp"
  "$recoup" import --format recoup "$csv" --client bench --currency USD --database "$base.tmp" > /dev/null
  "$recoup" client profile --client bench "${client_profile[@]}" --database "$base.tmp" > /dev/null
  python3 Benchmarks/work-queue-data.py history "$base.tmp" "$today" >&2
  sqlite3 "$base.tmp" "$contact_details"
  mv "$base.tmp" "$base"
fi

# timed LABEL COMMAND…: runs once, records seconds and peak RSS (MB); the command's output is in $dir/LABEL.out.
declare -A seconds memory processed created
timed() {
  local label=$1; shift
  echo "timing $label…" >&2
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/$label.out" 2> "$dir/$label.err" || {
    echo "$label failed:" >&2; tail -n 5 "$dir/$label.err" >&2; exit 1; }
  read -r s kb < <(tail -n 1 "$dir/time.txt")
  seconds[$label]=$s
  memory[$label]=$((kb / 1024))
  processed[$label]=$(tail -c 4000 "$dir/$label.out" | sed -n 's/.*"processed":\([0-9]*\).*/\1/p' | tail -n 1)
  created[$label]=$(tail -c 4000 "$dir/$label.out" | sed -n 's/.*"created":\([0-9]*\).*/\1/p' | tail -n 1)
}
fresh() { rm -rf "$1" "$1-wal" "$1-shm" "$(dirname "$1")/placements"; cp "$base" "$1"; }

work="$dir/work.sqlite"
fresh "$work"
timed segment-refresh "$recoup" segment refresh --as-of "$today" --database "$work"
fresh "$work"
timed dry-run "$recoup" run --as-of "$today" --dry-run --database "$work"
fresh "$work"
timed run "$recoup" run --as-of "$today" --database "$work"
timed rerun "$recoup" run --as-of "$today" --database "$work"
timed next-day "$recoup" run --as-of "$tomorrow" --database "$work"
[ "${created[rerun]}" = 0 ] || { echo "the re-run created ${created[rerun]} actions: it must create none" >&2; exit 1; }
actions=$(sqlite3 "$work" "SELECT COUNT(*) FROM strategy_actions WHERE status = 'created' AND as_of = $(( ($(date -u -d "$today" +%s)) / 86400 ))")
[ "$actions" = "${created[run]}" ] || { echo "the run reported ${created[run]} actions and stored $actions" >&2; exit 1; }
[ "${created[dry-run]}" = "${created[run]}" ] || echo "note: the dry run planned ${created[dry-run]}, the run created ${created[run]}" >&2

# PostgreSQL: one process, then two at once on a copy of the same data.
if [ -n "$pg_url" ]; then
  server=${pg_url%/*}
  psql_at() { psql -X -q -v ON_ERROR_STOP=1 "$server/$1" "${@:2}"; }
  pg_base="recoup_run_bench_${pg_debts}_${today//-/}"
  if ! psql_at postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$pg_base'" | grep -q 1; then
    echo "loading $pg_debts debts into PostgreSQL ($pg_base)…" >&2
    pg_csv="$dir/portfolio-$pg_debts-$today.csv"
    [ -f "$pg_csv" ] || python3 Benchmarks/work-queue-data.py csv "$pg_csv" "$pg_debts" "$today"
    psql_at postgres -c "DROP DATABASE IF EXISTS ${pg_base}_tmp" -c "CREATE DATABASE ${pg_base}_tmp"
    DATABASE_URL="$server/${pg_base}_tmp" "$recoup" import --format recoup "$pg_csv" --client bench --currency USD \
      > /dev/null
    DATABASE_URL="$server/${pg_base}_tmp" "$recoup" client profile --client bench "${client_profile[@]}" > /dev/null
    # The history as work-queue-data.py adds it on SQLite (the same shares, other random draws): 10 events a debt
    # over the last year (60% calls, 25% emails, 15% letters), ceases on 0.5% of the debtors' debts, disputes on 1%,
    # promises on 2%; then the emails and addresses as on SQLite.
    psql_at "${pg_base}_tmp" <<SQL
ALTER TABLE contact_events DISABLE TRIGGER contact_events_last_contact;
CREATE TEMP TABLE draws AS
  SELECT d.id AS debt_id, d.ref, d.debtor_id, d.client_id, d.balance, g AS n,
    (SELECT value FROM contact_points c WHERE c.debtor_id = d.debtor_id AND c.kind = 'phone' LIMIT 1) AS phone,
    (hashtext(d.id || '/' || g) & 1023) / 1024.0 AS roll,
    date_trunc('day', TIMESTAMPTZ '$today 00:00:00+00' - ((1 + (hashtext('d' || d.id || '/' || g) & 511) % 364)
      * INTERVAL '1 day')) + (14 + (hashtext('h' || d.id || '/' || g) & 15) % 9) * INTERVAL '1 hour'
      + ((hashtext('s' || d.id || '/' || g) & 4095) % 3600) * INTERVAL '1 second' AS at,
    (ARRAY['no_answer', 'no_answer', 'voicemail', 'busy', 'conversation'])[1 + (hashtext('o' || d.id || '/' || g) & 255) % 5]
      AS outcome
  FROM debts d CROSS JOIN generate_series(1, 10) AS g;
INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, created_at)
SELECT debtor_id, type, at, '["' || ref || '"]',
  CASE type
    WHEN 'call' THEN '{"type":"call","at":"' || stamp || '","debtIds":["' || ref || '"],"direction":"outbound","to":"'
      || phone || '","outcome":"' || outcome || '","messageLeft":' || (outcome = 'voicemail') || '}'
    WHEN 'email' THEN '{"type":"email","at":"' || stamp || '","debtIds":["' || ref
      || '"],"direction":"outbound","to":"p' || debtor_id || '@example.com"}'
    ELSE '{"type":"letter","at":"' || stamp || '","debtIds":["' || ref || '"]}'
  END, TIMESTAMPTZ '$today 00:00:00+00'
FROM (SELECT *, CASE WHEN roll < 0.6 AND phone IS NOT NULL THEN 'call' WHEN roll < 0.85 THEN 'email' ELSE 'letter' END
        AS type, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS stamp FROM draws) AS e
ORDER BY debtor_id, at;
INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, created_at)
SELECT debtor_id, kind, at, CASE kind WHEN 'dispute' THEN '["' || ref || '"]' END,
  '{"type":"' || kind || '","at":"' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '"'
    || CASE kind WHEN 'dispute' THEN ',"debtIds":["' || ref || '"]' ELSE '' END || '}',
  TIMESTAMPTZ '$today 00:00:00+00'
FROM (SELECT debtor_id, ref, CASE WHEN roll < 0.005 THEN 'cease' ELSE 'dispute' END AS kind,
        date_trunc('second', TIMESTAMPTZ '$today 00:00:00+00' - (2 + (hashtext('c' || debt_id) & 255) % 198)
          * INTERVAL '1 day') AS at
      FROM (SELECT debtor_id, ref, debt_id, (hashtext('x' || debt_id) & 1023) / 1024.0 AS roll FROM draws WHERE n = 1) r
      WHERE roll < 0.015) AS h;
UPDATE debts SET last_contact_at = COALESCE((SELECT CAST(FLOOR(EXTRACT(EPOCH FROM MAX(e.at))) AS BIGINT)
  FROM contact_events e WHERE e.debtor_id = debts.debtor_id AND e.type IN ('call', 'sms', 'email', 'letter')), 0);
ALTER TABLE contact_events ENABLE TRIGGER contact_events_last_contact;
INSERT INTO promises (client_id, debt_id, amount, due_on, made_on, via, created_at)
SELECT client_id, debt_id, 100 + (hashtext('a' || debt_id) & 1048575) % (balance - 100), due, due - 1 - (hashtext('m' || debt_id) & 15) % 14,
  CASE WHEN hashtext('v' || debt_id) & 1 = 0 THEN 'call' ELSE 'portal' END, TIMESTAMPTZ '$today 00:00:00+00'
FROM (SELECT debt_id, client_id, balance,
        CAST(DATE '$today' - DATE '1970-01-01' AS INTEGER) - 45 + (hashtext('p' || debt_id) & 255) % 106 AS due
      FROM draws WHERE n = 1 AND balance > 100 AND (hashtext('q' || debt_id) & 1023) < 20) AS p;
$contact_details
SET client_min_messages = error;
ANALYZE;
SQL
    psql_at postgres -c "ALTER DATABASE ${pg_base}_tmp RENAME TO $pg_base"
  fi
  pg_copy() { psql_at postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE $pg_base"; }
  pg_count() {
    psql_at "$1" -tAc "SELECT (SELECT COUNT(*) FROM strategy_actions) || ' ' || (SELECT COUNT(*) FROM work_items) \
      || ' ' || (SELECT COUNT(*) FROM placements) || ' ' || (SELECT COUNT(*) FROM outbox_messages) || ' ' \
      || (SELECT COUNT(*) FROM run_blocked) || ' ' || (SELECT COUNT(*) FROM (SELECT debt_id FROM strategy_actions \
      WHERE occurrence >= 0 GROUP BY debt_id, step_id, occurrence HAVING COUNT(*) > 1) AS twice)"
  }
  pg_copy "${pg_base}_one" > /dev/null
  RECOUP_PLACEMENTS_DIR="$dir/placements-one" DATABASE_URL="$server/${pg_base}_one" \
    timed pg-one "$recoup" run --as-of "$today"
  one_counts=$(pg_count "${pg_base}_one")
  pg_copy "${pg_base}_two" > /dev/null
  export RECOUP_PLACEMENTS_DIR="$dir/placements-two" DATABASE_URL="$server/${pg_base}_two" recoup today dir
  timed pg-two bash -c '"$recoup" run --as-of "$today" > "$dir/pg-two-a.out" & a=$!
    "$recoup" run --as-of "$today" > "$dir/pg-two-b.out" & b=$!
    wait $a; wait $b'
  unset RECOUP_PLACEMENTS_DIR DATABASE_URL
  two_counts=$(pg_count "${pg_base}_two")
  for side in a b; do
    processed[pg-two-$side]=$(tail -c 4000 "$dir/pg-two-$side.out" | sed -n 's/.*"processed":\([0-9]*\).*/\1/p')
    created[pg-two-$side]=$(tail -c 4000 "$dir/pg-two-$side.out" | sed -n 's/.*"created":\([0-9]*\).*/\1/p')
  done
  processed[pg-two]=$(( ${processed[pg-two-a]} + ${processed[pg-two-b]} ))
  created[pg-two]=$(( ${created[pg-two-a]} + ${created[pg-two-b]} ))
  psql_at postgres -c "DROP DATABASE ${pg_base}_one" -c "DROP DATABASE ${pg_base}_two" > /dev/null
fi

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
echo "| measurement ($debts debts on SQLite, $(nproc) cores, $today) | open debts | created | seconds | debts/s | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for label in segment-refresh dry-run run rerun next-day pg-one pg-two; do
  [ -n "${seconds[$label]:-}" ] || continue
  n=${processed[$label]:-$debts}
  [ "$label" != segment-refresh ] || n=$debts
  case $label in pg-*) n=${processed[$label]:-$pg_debts}; [ "$label" = pg-two ] && n=$pg_debts ;; esac
  echo "| $label | $n | ${created[$label]:-} | ${seconds[$label]} | $(rate "$n" "${seconds[$label]}") | ${memory[$label]} |"
done
if [ -n "$pg_url" ]; then
  echo
  echo "PostgreSQL, $pg_debts debts: one process $(rate "$pg_debts" "${seconds[pg-one]}") debts/s;" \
    "two at once ${seconds[pg-two]} s (process a looked at ${processed[pg-two-a]} debts and created" \
    "${created[pg-two-a]}, b ${processed[pg-two-b]} and ${created[pg-two-b]})."
  echo "Rows after (actions, work items, placements, messages, blocked, keys twice): one process $one_counts;" \
    "two processes $two_counts."
  [ "$one_counts" = "$two_counts" ] || { echo "two processes stored other rows than one" >&2; exit 1; }
fi
echo "files in $dir"
