# shellcheck shell=bash
# A throwaway PostgreSQL server for the test suite. Source this file, then:
#
#   pg_start   # initdb in a new temporary directory, start the server on a free
#              # 127.0.0.1 port, create role `recoup` (password `recoup`, checked
#              # on TCP with scram-sha-256; the Unix socket trusts everyone) and
#              # database `recoup_test`, export RECOUP_TEST_POSTGRES_URL
#   pg_stop    # stop the server and delete the directory (safe to call twice,
#              # or when pg_start failed or never ran: use it in `trap pg_stop EXIT`)
#
# Works as root (the server runs as the `postgres` user) and as an ordinary user
# (the server runs as that user). Server binaries are looked up in $PG_BIN, on PATH,
# then in /usr/lib/postgresql/<newest>/bin (Debian keeps initdb and pg_ctl there).
# If RECOUP_PG_SAVE_LOG names a file, pg_stop copies the server log there first.
# Sourcing changes no shell options; the functions work under `set -euo pipefail`.

# Prints the directory holding initdb, pg_ctl and psql; fails when there is none.
pg_find_bindir() {
  local candidate
  if [[ -n ${PG_BIN:-} && -x ${PG_BIN}/initdb ]]; then
    printf '%s\n' "$PG_BIN"
    return 0
  fi
  # Resolve symlinks: a link to initdb on PATH (say /usr/local/bin/initdb) may have no
  # psql beside it, while its target directory has all the tools.
  if candidate=$(command -v initdb 2>/dev/null) && candidate=$(readlink -f -- "$candidate"); then
    dirname -- "$candidate"
    return 0
  fi
  candidate=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  if [[ -x $candidate ]]; then
    dirname -- "$candidate"
    return 0
  fi
  return 1
}

# Prints the psql to use: the one beside the server binaries, else the one on PATH.
_pg_psql() {
  if [[ -x $1/psql ]]; then
    printf '%s\n' "$1/psql"
  else
    command -v psql || { echo "pg_start: psql not found" >&2; return 1; }
  fi
}

# Runs a command as the user that owns the server: postgres when we are root.
_pg_as_owner() {
  if [[ $(id -u) -ne 0 ]]; then
    (cd / && "$@")
  elif command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
  fi
}

# Prints a TCP port on 127.0.0.1 that nothing listens on right now.
_pg_free_port() {
  local port tries
  if command -v python3 >/dev/null 2>&1 &&
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) &&
    [[ $port =~ ^[0-9]+$ ]]; then
    printf '%s\n' "$port"
    return 0
  fi
  for ((tries = 0; tries < 200; tries++)); do
    port=$((20000 + RANDOM % 40000))
    # A refused connection means the port is free.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  echo "pg_start: found no free TCP port" >&2
  return 1
}

# Creates the temporary directory and hands it to the server's user.
_pg_make_dir() {
  local dir base
  for base in "${TMPDIR:-/tmp}" /tmp; do
    dir=$(mktemp -d "$base/recoup-pg.XXXXXX") || continue
    if [[ $(id -u) -ne 0 ]]; then
      printf '%s\n' "$dir"
      return 0
    fi
    if chown postgres: "$dir" && _pg_as_owner test -w "$dir"; then
      printf '%s\n' "$dir"
      return 0
    fi
    # The postgres user cannot reach $TMPDIR (for example /root/tmp): try /tmp.
    rm -rf -- "$dir"
  done
  echo "pg_start: could not create a temporary directory the server can use" >&2
  return 1
}

pg_start() {
  local bindir dir port attempt url psql
  if [[ -n ${RECOUP_PG_DIR:-} ]]; then
    echo "pg_start: a server is already running in $RECOUP_PG_DIR; call pg_stop first" >&2
    return 1
  fi
  if ! bindir=$(pg_find_bindir); then
    echo "pg_start: PostgreSQL server binaries not found (initdb on PATH, in \$PG_BIN, or /usr/lib/postgresql/*/bin)" >&2
    return 1
  fi
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "pg_start: running as root but there is no postgres user to run the server" >&2
    return 1
  fi
  dir=$(_pg_make_dir) || return 1
  # From here on pg_stop knows what to clean up, even if a later step fails.
  export RECOUP_PG_DIR=$dir RECOUP_PG_BINDIR=$bindir

  if ! _pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres \
    --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    echo "pg_start: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    pg_stop
    return 1
  fi

  # The port is free when we pick it but another process could take it before the
  # server binds it: pick again when that happens.
  # max_connections: Swift Testing runs the suites' tests at once, each with its own pool (and its app's), so 722
  # tests on two cores took more than 200 connections at a time; 800 leaves room for more tests and more cores.
  for attempt in 1 2 3; do
    port=$(_pg_free_port) || { pg_stop; return 1; }
    if _pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=800 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null 2>"$dir/pg_ctl.err"; then
      break
    fi
    if ((attempt < 3)) && grep -q 'could not bind\|already in use' "$dir/log" 2>/dev/null; then
      continue
    fi
    echo "pg_start: the PostgreSQL server did not start:" >&2
    cat "$dir/pg_ctl.err" >&2
    echo "--- server log ($dir/log) ---" >&2
    cat "$dir/log" >&2 2>/dev/null
    echo "--- end of server log ---" >&2
    pg_stop
    return 1
  done
  export RECOUP_PG_PORT=$port

  psql=$(_pg_psql "$bindir") || { pg_stop; return 1; }
  if ! "$psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE recoup LOGIN PASSWORD 'recoup' CREATEDB" \
    -c "CREATE DATABASE recoup_test OWNER recoup"; then
    echo "pg_start: could not create role recoup and database recoup_test; server log:" >&2
    cat "$dir/log" >&2
    pg_stop
    return 1
  fi

  # Check the URL the tests will use: TCP, password, the new database.
  url="postgres://recoup:recoup@127.0.0.1:$port/recoup_test"
  if ! "$psql" -X -q -At "$url" -c 'SELECT 1' >/dev/null; then
    echo "pg_start: cannot connect to $url; server log:" >&2
    cat "$dir/log" >&2
    pg_stop
    return 1
  fi
  export RECOUP_TEST_POSTGRES_URL=$url
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (data in $dir)"
}

pg_stop() {
  local dir=${RECOUP_PG_DIR:-} bindir=${RECOUP_PG_BINDIR:-}
  [[ -n $dir ]] || return 0
  if [[ -f $dir/data/postmaster.pid ]]; then
    if ! _pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1; then
      echo "pg_stop: fast shutdown failed; trying immediate shutdown" >&2
      _pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
        echo "pg_stop: could not stop the server in $dir" >&2
    fi
  fi
  if [[ -n ${RECOUP_PG_SAVE_LOG:-} && -f $dir/log ]]; then
    mkdir -p -- "$(dirname -- "$RECOUP_PG_SAVE_LOG")" && cp -- "$dir/log" "$RECOUP_PG_SAVE_LOG" ||
      echo "pg_stop: could not save the server log to $RECOUP_PG_SAVE_LOG" >&2
  fi
  # Only ever delete a directory that pg_start made.
  case $dir in
    */recoup-pg.??????) rm -rf -- "$dir" ;;
    *) echo "pg_stop: not deleting unexpected directory $dir" >&2 ;;
  esac
  unset RECOUP_PG_DIR RECOUP_PG_BINDIR RECOUP_PG_PORT RECOUP_TEST_POSTGRES_URL
  return 0
}
