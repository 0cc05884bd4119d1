#!/usr/bin/env bash
# A private PostgreSQL server for the test suite.
#
#   scripts/postgres.sh start DIR   start a throw-away cluster in DIR (created if missing) on a free
#                                   port and print its SQLAlchemy URL on stdout (the last line)
#   scripts/postgres.sh stop DIR    stop it and remove DIR
#
# Installs Debian's `postgresql` package first when initdb is missing and we are root
# (apt-get update && apt-get install -y postgresql). PostgreSQL refuses to run as root, so as root
# the cluster runs as the `postgres` user the package creates. Progress goes to stderr; the
# server's log is DIR/postgres.log.
set -euo pipefail

say() { echo "postgres.sh: $*" >&2; }

find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

as_owner() {  # run a command as the cluster owner
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"
    else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start() {
  local dir=$1
  local bindir
  if ! bindir=$(find_bindir); then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian's postgresql package"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      bindir=$(find_bindir) || { say "initdb still missing after installing postgresql"; exit 1; }
    else
      say "initdb/pg_ctl not found and not root: install Debian's postgresql package (apt-get install postgresql)"
      exit 1
    fi
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { say "no postgres user to run the server as"; exit 1; }
    chown postgres "$dir"
    chmod 700 "$dir"
  fi
  local port
  port=$(free_port)
  as_owner "$bindir/initdb" -D "$dir/data" -U proscribe --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_owner "$bindir/initdb" -D "$dir/data" -U proscribe --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { say "initdb failed: $(tail -5 "$dir/initdb.log")"; exit 1; }
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off" start >&2 \
    || { say "the server did not start: $(tail -5 "$dir/postgres.log" 2>/dev/null)"; exit 1; }
  echo "$bindir" >"$dir/bindir"
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U proscribe proscribe_test >&2
  say "PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') running on 127.0.0.1:$port (data in $dir)"
  echo "postgresql+psycopg://proscribe@127.0.0.1:$port/proscribe_test"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/bindir" ] && [ -d "$dir/data" ]; then
    as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: postgres.sh start DIR}" ;;
  stop) stop "${2:?usage: postgres.sh stop DIR}" ;;
  *) echo "usage: postgres.sh start DIR | stop DIR" >&2; exit 2 ;;
esac
