#!/usr/bin/env bash
# Page timings of the debts list over a database already loaded (for instance by Benchmarks/http-benchmark.sh or
# `recoup import --format ibm-ar FILE --client bench`): every sort in both directions, with and without the client
# filter and the open status, and a page from a cursor in the middle. Runs the given `recoup` binary's server,
# signs in through the login form as a browser does, and times each page with curl: the first request, then the
# median of the next ten.
#
#   Benchmarks/debts-list-benchmark.sh RECOUP_BINARY SQLITE_FILE [CLIENT] [CURSOR]
#   DATABASE_URL=postgres://… Benchmarks/debts-list-benchmark.sh RECOUP_BINARY - [CLIENT] [CURSOR]
#
# CLIENT is the client to filter by (default bench), CURSOR a debt id to start a page from (default 500000); PAGES
# (paths separated by spaces) times those pages instead.
# Adds the user bench-list@example.com (an admin) when it is missing. Prints a Markdown table; a benchmark, not a test.
set -euo pipefail
recoup=$(readlink -f "$1")
database=$2
client=${3:-bench}
cursor=${4:-500000}
dir=$(mktemp -d /tmp/recoup-list-bench.XXXXXX)
if [ "$database" = - ]; then
  [ -n "${DATABASE_URL:-}" ] || { echo "give a SQLite file, or - with DATABASE_URL set" >&2; exit 2; }
  where=()
else
  unset DATABASE_URL
  where=(--database "$database")
fi

printf 'benchmark-password\n' | "$recoup" user add bench-list@example.com --role admin --password-stdin "${where[@]}" \
  >/dev/null 2>&1 || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$recoup" serve --port "$port" "${where[@]}" > "$dir/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
base="http://127.0.0.1:$port"
jar="$dir/cookies"
csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -o /dev/null -c "$jar" -b "$jar" --data "email=bench-list%40example.com&password=benchmark-password&csrf=$csrf" \
  "$base/login"
# A page every list shows once, then a pause (SETTLE seconds, default 10), so that the server's start-up work (the
# dashboard's figures) and the first totals are behind us.
curl -s -o /dev/null -b "$jar" "$base/debts"
sleep "${SETTLE:-10}"
curl -s -o "$dir/check.html" -w '%{http_code}' -b "$jar" "$base/debts?client=$client" | grep -q 200 ||
  { echo "the list did not answer; server log:" >&2; cat "$dir/serve.log" >&2; exit 1; }

pages=()
for filter in "" "&status=open" "&client=$client" "&client=$client&status=open"; do
  for sort in added balance days contact; do
    for direction in asc desc; do
      pages+=("/debts?sort=$sort&dir=$direction$filter")
    done
  done
done
for sort in added balance days contact; do
  pages+=("/debts?sort=$sort&dir=desc&client=$client&cursor=$cursor" "/debts?sort=$sort&client=$client&before=$cursor")
done
pages+=("/debts?client=$client&status=closed&sort=days" "/debts?client=$client&bucket=1-30&sort=balance&dir=desc")
# PAGES (paths separated by spaces) replaces the list.
if [ -n "${PAGES:-}" ]; then read -r -a pages <<< "$PAGES"; fi

echo "| page | first (ms) | median of 10 (ms) |"
echo "|---|---|---|"
for page in "${pages[@]}"; do
  times=()
  for _ in $(seq 1 11); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "$base$page")")
  done
  first=$(awk -v t="${times[0]}" 'BEGIN { printf "%.1f", t * 1000 }')
  median=$(printf '%s\n' "${times[@]:1}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", (a[5] + a[6]) / 2 * 1000 }')
  echo "| \`${page/sort=added&dir=asc/}\` | $first | $median |"
done
