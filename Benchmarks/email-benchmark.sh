#!/usr/bin/env bash
# Email delivered end to end with the real binary (issue 15): EMAILS debtors (default 10,000), each with two open
# debts, an email address, about 10 contact events a debt over the last year with a few ceases and disputes
# (work-queue-data.py), and one queued email about both debts (a reminder of about 1 KB); then one
# `recoup outbox send --limit EMAILS` to a real SMTP server on this machine (scripts/smtp-test-server.py, aiosmtpd,
# offering PIPELINING): each email checked again by the compliance engine (the few under a cease are cancelled),
# written as MIME text and HTML with its opt-out headers, sent over one connection and recorded as sent with a
# contact event. The debtors' time zone is one where it is now mid-day, so the clock never defers them.
#
# The anchor, in the same run: Python's smtplib sending the same messages (the files the server kept) to a fresh
# server over one connection, the most that server takes from any client.
#
#   Benchmarks/email-benchmark.sh [EMAILS]
#   RECOUP_BINARY=path Benchmarks/email-benchmark.sh     times that binary instead of building the release one
#   BENCH_DIR=/tmp/x Benchmarks/email-benchmark.sh       keeps the files there
#   TEMPLATE=final-notice Benchmarks/email-benchmark.sh  queues final notices: each email then carries its PDF
#                                                        statement (the built-in final notice asks for it)
#
# A benchmark, not a test: nothing fails on time, only on a wrong count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
emails=${1:-10000}
template=${TEMPLATE:-reminder}
dir=${BENCH_DIR:-$(mktemp -d /tmp/recoup-email-bench.XXXXXX)}
mkdir -p "$dir"
today=$(date -u +%F)
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is missing (apt-get install python3-aiosmtpd)" >&2; exit 1; }
if [ -n "${RECOUP_BINARY:-}" ]; then
  recoup=$(readlink -f "$RECOUP_BINARY")
else
  swift build -c release --product recoup >&2
  recoup=$(swift build -c release --show-bin-path)/recoup
fi
unset DATABASE_URL

# start_server DIR: starts the SMTP server keeping mail in DIR; sets server_pid and port.
start_server() {
  mkfifo "$1.in"
  /usr/bin/python3 scripts/smtp-test-server.py --maildir "$1" --pipelining < "$1.in" > "$1.out" 2>/dev/null &
  server_pid=$!
  exec {hold}>"$1.in"
  for _ in $(seq 50); do [ -s "$1.out" ] && break; sleep 0.1; done
  port=$(cut -d' ' -f2 "$1.out")
}

db="$dir/email.sqlite"
rm -rf "$db" "$db-wal" "$db-shm" "$dir/mail" "$dir/mail.in" "$dir/mail.out" "$dir/anchor" "$dir/anchor.in" "$dir/anchor.out"
zone=$(/usr/bin/python3 - <<'PY'
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
now = datetime.now(tz=ZoneInfo("UTC"))
for name in ["America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu", "Europe/London",
             "Europe/Berlin", "Asia/Dubai", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Pacific/Auckland"]:
    if all(10 <= (now + timedelta(minutes=m)).astimezone(ZoneInfo(name)).hour < 17 for m in (0, 30)):
        print(name); break
PY
)
[ -n "$zone" ] || { echo "no zone is at mid-day now" >&2; exit 1; }
/usr/bin/python3 - "$dir/portfolio.csv" "$emails" "$zone" <<'PY'
import sys, random
path, count, zone = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(15)
with open(path, "w") as out:
    out.write("debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,emails,time_zones\n")
    for i in range(count):
        for j in range(2):
            cents = random.randint(5000, 500000)
            out.write("Q%07d,P%07d,consumer,Person %d,2026-06-01,2026-07-01,%d.%02d,person%d@example.com,%s\n"
                      % (2 * i + j, i, i, cents // 100, cents % 100, i, zone))
PY
"$recoup" import --format recoup "$dir/portfolio.csv" --client bench --currency USD --database "$db" > /dev/null
"$recoup" client profile --client bench --name "Bench Lending" --phone "(617) 555-0100" \
  --email billing@bench.example --payment-link https://pay.bench.example --database "$db" > /dev/null
python3 Benchmarks/work-queue-data.py history "$db" "$today" > /dev/null
body="Dear DEBTOR,

This is a reminder from Bench Lending about your account. The amount owed, \$1,330.00, is past due. Please pay it in full, or get in touch so that we can agree a payment plan you can afford.

Amount owed to Bench Lending: \$1,330.00
- REF-1, due 1 July 2026: \$1,250.00
- REF-2, due 1 July 2026: \$80.00

How to pay or get in touch:
- Pay online: https://pay.bench.example
- Phone: (617) 555-0100
- Email: billing@bench.example

If you believe you do not owe this amount, or that any part of it is wrong, tell us and we will look into it.

This is an attempt to collect a debt.

To stop receiving emails from Bench Lending, reply STOP.

Bench Lending"
now=$(date -u +%s)
sqlite3 "$db" <<SQL
INSERT INTO outbox_messages (client_id, debtor_id, channel, recipient, subject, body, template, status, send_after,
    as_of, step_id, created_at)
  SELECT p.client_id, p.id, 'email', 'person' || CAST(substr(p.ref, 2) AS INTEGER) || '@example.com',
    'A reminder from Bench Lending',
    replace(replace(replace('$(printf %s "$body" | sed "s/'/''/g")', 'DEBTOR', p.name), 'REF-1', MIN(d.ref)), 'REF-2',
      MAX(d.ref)),
    '$template', 'queued', $now - 3600, $((now / 86400)), 'reminder', $now
  FROM debtors p JOIN debts d ON d.debtor_id = p.id GROUP BY p.id;
INSERT INTO strategy_actions (debt_id, step_id, occurrence, scheduled_on, status, action, as_of, reason, message_id,
    planned_at, created_at)
  SELECT d.id, 'reminder', 1, m.as_of, 'created', 'email', m.as_of, 'benchmark', m.id, m.send_after, m.created_at
  FROM outbox_messages m JOIN debts d ON d.debtor_id = m.debtor_id;
SQL
queued=$(sqlite3 "$db" "SELECT COUNT(*) FROM outbox_messages WHERE status = 'queued'")

start_server "$dir/mail"
trap 'kill $server_pid 2>/dev/null || true' EXIT
echo "queued $queued emails in $zone; sending to 127.0.0.1:$port…" >&2
RECOUP_SMTP_URL="smtp://127.0.0.1:$port?starttls=never" RECOUP_MAIL_FROM=collections@bench.example \
  RECOUP_PUBLIC_URL=https://recoup.bench.example /usr/bin/time -f "%e %M" -o "$dir/time.txt" \
  "$recoup" outbox send --limit "$emails" --database "$db" > "$dir/send.out"
read -r seconds kb < "$dir/time.txt"
kill $server_pid; wait $server_pid 2>/dev/null || true
sent=$(sed -n 's/.*"sent":\([0-9]*\).*/\1/p' "$dir/send.out")
cancelled=$(sed -n 's/.*"cancelled":\([0-9]*\).*/\1/p' "$dir/send.out")
received=$(wc -l < "$dir/mail/envelopes.jsonl")
[ $((sent + cancelled)) = "$queued" ] && [ "$received" = "$sent" ] || {
  echo "sent $sent, cancelled $cancelled and the server took $received of $queued emails" >&2; cat "$dir/send.out" >&2; exit 1; }
if [ "$template" = final-notice ]; then
  attached=$(grep -l 'filename="statement.pdf"' "$dir"/mail/*.eml 2>/dev/null | wc -l)
  [ "$attached" = "$sent" ] || { echo "$attached of $sent emails carry statement.pdf" >&2; exit 1; }
fi

# The anchor: smtplib sends what the server kept, over one connection, to a fresh server.
start_server "$dir/anchor"
anchor=$(/usr/bin/python3 - "$dir/mail" "$port" <<'PY'
import json, os, smtplib, sys, time
folder, port = sys.argv[1], int(sys.argv[2])
messages = []
for line in open(os.path.join(folder, "envelopes.jsonl")):
    item = json.loads(line)
    messages.append((item["from"], item["to"], open(os.path.join(folder, item["file"]), "rb").read()))
start = time.monotonic()
with smtplib.SMTP("127.0.0.1", port) as client:
    for sender, to, content in messages:
        client.sendmail(sender, to, content)
print("%.2f" % (time.monotonic() - start))
PY
)
kill $server_pid; wait $server_pid 2>/dev/null || true
size=$(du -sk "$dir/mail" | cut -f1)
echo "| emails | sent | cancelled | seconds | emails/s | peak RSS MB | KB an email | smtplib, same emails: seconds | emails/s |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "| $queued | $sent | $cancelled | $seconds | $(python3 -c "print(round($queued / $seconds))") | $((kb / 1024)) | $((size / received)) | $anchor | $(python3 -c "print(round($received / $anchor))") |"
echo "files in $dir" >&2
