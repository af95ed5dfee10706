#!/usr/bin/env python3
"""Data for the work-queue benchmark (Benchmarks/work-queue-benchmark.sh).

  work-queue-data.py csv FILE DEBTS TODAY        writes a Recoup-layout file: DEBTS consumer debts, two per debtor,
                                                 phones and zones across the US, due dates over two years
  work-queue-data.py history DATABASE TODAY      adds to an SQLite database that imported it: about 10 contact events
                                                 per debt over the last year, promises (due from 45 days before TODAY
                                                 to 60 after), a few ceases and disputes, and the daily run's open work
                                                 items (call steps on 10% of the debts, voicemails, tasks)

Seeded: the same arguments give the same data. A benchmark's set-up, not a test.
"""
import datetime
import json
import random
import sqlite3
import sys

# Area codes and the zone each is in; the weights are rough shares of the US population.
AREAS = [
    ("212", "America/New_York", 12), ("617", "America/New_York", 8), ("404", "America/New_York", 8),
    ("305", "America/New_York", 8), ("215", "America/New_York", 9),
    ("312", "America/Chicago", 10), ("214", "America/Chicago", 10), ("713", "America/Chicago", 10),
    ("303", "America/Denver", 4), ("602", "America/Phoenix", 4),
    ("213", "America/Los_Angeles", 6), ("415", "America/Los_Angeles", 5), ("206", "America/Los_Angeles", 4),
    ("907", "America/Anchorage", 1), ("808", "Pacific/Honolulu", 1),
]


def day(text):
    return datetime.date.fromisoformat(text)


def write_csv(path, debts, today):
    rng = random.Random(14)
    weights = [area[2] for area in AREAS]
    with open(path, "w") as out:
        out.write("debt_ref,debtor_ref,debtor_kind,debtor_name,charged_on,due_on,principal,phones,time_zones\n")
        for debtor in range(debts // 2):
            code, zone, _ = rng.choices(AREAS, weights)[0]
            phone = f"+1{code}{rng.randrange(2000000, 9999999)}:mobile"
            zones = zone if rng.random() < 0.6 else ""
            for number in range(2):
                charged = today - datetime.timedelta(days=rng.randrange(40, 760))
                due = charged + datetime.timedelta(days=30)
                cents = rng.randrange(5_000, 500_000)
                out.write(
                    f"Q{debtor * 2 + number:07d},P{debtor:07d},consumer,Person {debtor},{charged},{due},"
                    f"{cents // 100}.{cents % 100:02d},{phone},{zones}\n")


def instant(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_history(path, today):
    rng = random.Random(15)
    db = sqlite3.connect(path)
    db.execute("PRAGMA cache_size = -262144")
    db.execute("PRAGMA synchronous = OFF")
    debts = db.execute("SELECT id, ref, debtor_id, client_id, balance FROM debts ORDER BY id").fetchall()
    phones = dict(db.execute("SELECT debtor_id, value FROM contact_points WHERE kind = 'phone'").fetchall())
    midnight = datetime.datetime(today.year, today.month, today.day, tzinfo=datetime.timezone.utc)
    now = midnight.timestamp()
    epoch = datetime.date(1970, 1, 1)

    # The trigger that keeps debts.last_contact_at is dropped while the history goes in, and the column set after.
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'contact_events_last_contact'").fetchone()[0]
    db.execute("DROP TRIGGER contact_events_last_contact")
    events = []
    for debt_id, ref, debtor_id, _, _ in debts:
        phone = phones.get(debtor_id)
        for _ in range(10):
            at = midnight - datetime.timedelta(seconds=rng.randrange(86_400, 365 * 86_400))
            at = at.replace(hour=rng.randrange(14, 23))
            roll = rng.random()
            if roll < 0.6 and phone:
                outcome = rng.choice(["no_answer", "no_answer", "voicemail", "busy", "conversation"])
                details = {"type": "call", "at": instant(at), "debtIds": [ref], "direction": "outbound",
                           "to": phone, "outcome": outcome, "messageLeft": outcome == "voicemail"}
            elif roll < 0.85:
                details = {"type": "email", "at": instant(at), "debtIds": [ref], "direction": "outbound",
                           "to": f"p{debtor_id}@example.com"}
            else:
                details = {"type": "letter", "at": instant(at), "debtIds": [ref]}
            events.append((debtor_id, details["type"], at.timestamp(), json.dumps([ref]),
                           json.dumps(details, separators=(",", ":")), now))
        if rng.random() < 0.005:
            at = midnight - datetime.timedelta(days=rng.randrange(2, 200))
            events.append((debtor_id, "cease", at.timestamp(), None,
                           json.dumps({"type": "cease", "at": instant(at)}, separators=(",", ":")), now))
        if rng.random() < 0.01:
            at = midnight - datetime.timedelta(days=rng.randrange(2, 200))
            events.append((debtor_id, "dispute", at.timestamp(), json.dumps([ref]),
                           json.dumps({"type": "dispute", "at": instant(at), "debtIds": [ref]}, separators=(",", ":")),
                           now))
        if len(events) >= 200_000:
            db.executemany(
                "INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                events)
            events = []
    db.executemany(
        "INSERT INTO contact_events (debtor_id, type, at, debt_ids, details, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        events)
    db.execute(
        """UPDATE debts SET last_contact_at = COALESCE((SELECT CAST(MAX(e.at) AS INTEGER) FROM contact_events e
           WHERE e.debtor_id = debts.debtor_id AND e.type IN ('call', 'sms', 'email', 'letter')), 0)""")
    db.execute(trigger)

    # Promises on 2% of the debts, due from 45 days ago to 60 days ahead, for at most the balance.
    promises = []
    for debt_id, ref, debtor_id, client_id, balance in debts:
        if rng.random() < 0.02 and balance > 100:
            due = today + datetime.timedelta(days=rng.randrange(-45, 61))
            made = due - datetime.timedelta(days=rng.randrange(1, 15))
            promises.append((client_id, debt_id, rng.randrange(100, balance), (due - epoch).days,
                             (made - epoch).days, rng.choice(["call", "portal"]), now))
    db.executemany(
        "INSERT INTO promises (client_id, debt_id, amount, due_on, made_on, via, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        promises)

    # The daily run's open work: call steps on 10% of the debts due over the last 20 days, voicemails on 2%,
    # tasks on 1%.
    items = []
    for debt_id, ref, debtor_id, client_id, _ in debts:
        roll = rng.random()
        kind = "call" if roll < 0.10 else "voicemail" if roll < 0.12 else rng.choice(
            ["request_contact_details", "skip_trace", "legal_review"]) if roll < 0.13 else None
        if kind:
            due = today - datetime.timedelta(days=rng.randrange(0, 20))
            items.append((kind, debt_id, debtor_id, client_id, f"Step {kind}-1 of the standard strategy is due.",
                          (due - epoch).days, now))
    db.executemany(
        """INSERT INTO work_items (kind, debt_id, debtor_id, client_id, reason, due_on, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'open', ?)""", items)
    db.commit()
    counts = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
              for table in ["debts", "debtors", "contact_events", "promises", "work_items"]}
    print(json.dumps(counts))


if __name__ == "__main__":
    if sys.argv[1] == "csv":
        write_csv(sys.argv[2], int(sys.argv[3]), day(sys.argv[4]))
    else:
        add_history(sys.argv[2], day(sys.argv[3]))
