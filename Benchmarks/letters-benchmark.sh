#!/usr/bin/env bash
# Letters delivered end to end with the real binary (issue 15): LETTERS debtors (default 10,000), each with two open
# debts, about 10 contact events a debt over the last year with a few ceases and disputes (work-queue-data.py), a
# home address and one queued one-page letter about both debts (a final notice of about 1 KB, as the daily run
# renders it); then one `recoup outbox send --limit LETTERS`: each letter checked again by the compliance engine
# against the debtor's history (the few under a cease are cancelled), laid out, written as its own PDF, all of them
# into one PDF to print and a manifest, and recorded as sent with a contact event. Reports letters a second (letters
# handled: sent and cancelled) and peak RSS.
#
#   Benchmarks/letters-benchmark.sh [LETTERS]
#   RECOUP_BINARY=path Benchmarks/letters-benchmark.sh     times that binary instead of building the release one
#   BENCH_DIR=/tmp/x Benchmarks/letters-benchmark.sh       keeps the files there
#
# A benchmark, not a test: nothing fails on time, only on a wrong count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
letters=${1:-10000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-letters-bench.XXXXXX)}
mkdir -p "$dir"
today=2026-12-05
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
if [ -n "${RECOUP_BINARY:-}" ]; then
  recoup=$(readlink -f "$RECOUP_BINARY")
else
  swift build -c release --product recoup >&2
  recoup=$(swift build -c release --show-bin-path)/recoup
fi
unset DATABASE_URL

db="$dir/letters.sqlite"
rm -rf "$db" "$db-wal" "$db-shm" "$dir/letters" "$dir/portfolio.csv"
python3 Benchmarks/work-queue-data.py csv "$dir/portfolio.csv" $((letters * 2)) "$today"
"$recoup" import --format recoup "$dir/portfolio.csv" --client bench --currency USD --database "$db" > /dev/null
"$recoup" client profile --client bench --name "Bench Lending" --phone "(617) 555-0100" \
  --email billing@bench.example --address "1 Main Street\nBoston, MA 02108" --payment-link https://pay.bench.example \
  --database "$db" > /dev/null
python3 Benchmarks/work-queue-data.py history "$db" "$today" > /dev/null
# A home address for every debtor, and one queued letter about both of a debtor's debts, due an hour ago.
body="Re: Final notice about your account with Bench Lending

Dear DEBTOR,

This is a final notice from Bench Lending about your account with Bench Lending. The amount owed, \$1,330.00, is still unpaid. Please pay it in full, or get in touch so that we can agree a payment plan you can afford.

Amount owed to Bench Lending: \$1,330.00
- REF-1, due 30 September 2026: \$1,250.00
- REF-2, due 30 October 2026: \$80.00

How to pay or get in touch:
- Pay online: https://pay.bench.example
- Phone: (617) 555-0100
- Email: billing@bench.example
- Post: 1 Main Street, Boston, MA 02108

If you believe you do not owe this amount, or that any part of it is wrong, tell us and we will look into it.

This is an attempt to collect a debt.

Yours sincerely,

Bench Lending"
now=$(date -u +%s)
sqlite3 "$db" <<SQL
INSERT INTO contact_points (debtor_id, kind, value, type, city, state, postal_code, country, created_at)
  SELECT id, 'address', (100 + id % 9000) || ' Main Street', 'home', 'Springfield', 'IL', '62701', 'US', created_at
  FROM debtors;
INSERT INTO outbox_messages (client_id, debtor_id, channel, recipient, subject, body, template, status, send_after,
    as_of, step_id, created_at)
  SELECT p.client_id, p.id, 'letter', (100 + p.id % 9000) || ' Main Street, Springfield, IL, 62701, US', NULL,
    replace(replace(replace('$(printf %s "$body" | sed "s/'/''/g")', 'DEBTOR', p.name), 'REF-1', MIN(d.ref)), 'REF-2',
      MAX(d.ref)),
    'final-notice', 'queued', $now - 3600, $((now / 86400)), 'final', $now
  FROM debtors p JOIN debts d ON d.debtor_id = p.id GROUP BY p.id;
INSERT INTO strategy_actions (debt_id, step_id, occurrence, scheduled_on, status, action, as_of, reason, message_id,
    planned_at, created_at)
  SELECT d.id, 'final', 1, m.as_of, 'created', 'final_notice', m.as_of, 'benchmark', m.id, m.send_after, m.created_at
  FROM outbox_messages m JOIN debts d ON d.debtor_id = m.debtor_id;
SQL
queued=$(sqlite3 "$db" "SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued'")
echo "queued $queued letters; sending…" >&2
RECOUP_LETTERS_DIR="$dir/letters" /usr/bin/time -f "%e %M" -o "$dir/time.txt" \
  "$recoup" outbox send --limit "$letters" --database "$db" > "$dir/send.out"
read -r seconds kb < "$dir/time.txt"
sent=$(sed -n 's/.*"sent":\([0-9]*\).*/\1/p' "$dir/send.out")
cancelled=$(sed -n 's/.*"cancelled":\([0-9]*\).*/\1/p' "$dir/send.out")
pdfs=$(find "$dir/letters" -name 'letter-*.pdf' | wc -l)
[ $((sent + cancelled)) = "$queued" ] && [ "$pdfs" = "$sent" ] || {
  echo "sent $sent, cancelled $cancelled and wrote $pdfs PDFs of $queued letters" >&2; cat "$dir/send.out" >&2; exit 1; }
pages=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type /Page\b', open(sys.argv[1],'rb').read())))" \
  "$(find "$dir/letters" -name letters.pdf | head -1)")
echo "| letters | sent | cancelled | seconds | letters/s | peak RSS MB | pages in letters.pdf |"
echo "|---|---|---|---|---|---|---|"
echo "| $queued | $sent | $cancelled | $seconds | $(python3 -c "print(round($queued / $seconds))") | $((kb / 1024)) | $pages |"
echo "files in $dir" >&2
