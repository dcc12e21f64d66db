#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the test suite (the program store is tested on
# SQLite and on PostgreSQL). `start` installs Debian's package if it is missing (as root), makes
# a cluster in a temporary folder, starts it on 127.0.0.1:$PORT and prints the SQLAlchemy URL;
# `stop` stops it and removes the folder. Nothing is written outside $DIR.
set -euo pipefail
PORT="${EXPORTPLAN_TEST_PG_PORT:-54329}"
DIR="${EXPORTPLAN_TEST_PG_DIR:-/tmp/exportplan-test-pg}"
LOG="$DIR.log"

bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

as_owner() {  # initdb and postgres refuse to run as root
  if [ "$(id -u)" = "0" ]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

case "${1:-}" in
  start)
    if ! BIN="$(bindir)"; then
      if [ "$(id -u)" = "0" ]; then
        echo "installing PostgreSQL (Debian's package) ..." >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
        BIN="$(bindir)"
      else
        echo "PostgreSQL is not installed: apt-get install postgresql (as root)" >&2
        exit 1
      fi
    fi
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres "$DIR"
    as_owner "'$BIN/initdb' -D '$DIR' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
    as_owner "'$BIN/pg_ctl' -D '$DIR' -l '$DIR/server.log' -w -o \"-h 127.0.0.1 -p $PORT -k '$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null"
    echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if BIN="$(bindir)" && [ -d "$DIR" ]; then
      as_owner "'$BIN/pg_ctl' -D '$DIR' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR" "$LOG"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
