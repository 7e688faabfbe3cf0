#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: initdb in a temp dir, listening on a free loopback port only (no other
# network, socket in the same dir), trust auth for the one superuser "postgres".
#
#   url=$(scripts/pg/throwaway.sh start [DIR])   # prints its DATABASE_URL on stdout; the cluster lives in DIR
#   scripts/pg/throwaway.sh stop DIR              # stops it and deletes DIR
#
# DIR defaults to $PG_THROWAWAY_DIR, else a new temp dir (named on stderr). initdb refuses to run as root, so as
# root the cluster is created and run by the "postgres" user (Debian's package makes it), else by "nobody".
set -euo pipefail

find_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || { echo "throwaway.sh: no PostgreSQL server found (pg_ctl/initdb)" >&2; exit 3; }
  echo "$d"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres
    id -u postgres >/dev/null 2>&1 || user=nobody
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local bin dir port
  bin=$(find_bin)
  dir=${1:-${PG_THROWAWAY_DIR:-}}
  [ -n "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/pg-throwaway.XXXXXX")
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres
    id -u postgres >/dev/null 2>&1 || user=nobody
    chown "$user" "$dir"
  fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(free_port)
  # fsync off and a small shared_buffers: a test cluster, thrown away at the end.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "$port" >"$dir/port"
  echo "throwaway.sh: cluster in $dir (stop: scripts/pg/throwaway.sh stop $dir)" >&2
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=${1:-${PG_THROWAWAY_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "throwaway.sh: no cluster at '${dir}'" >&2; exit 1; }
  local bin
  bin=$(find_bin)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [DIR] | stop DIR" >&2; exit 2 ;;
esac
