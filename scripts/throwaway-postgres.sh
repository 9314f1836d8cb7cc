#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite and the benchmark: Debian's postgresql (installed when missing),
# initdb'd in a temporary folder as the postgres user (the server refuses to run as root), listening on 127.0.0.1 on a
# free port, with trust authentication for local connections only.
#
#   scripts/throwaway-postgres.sh start DIR [durable]
#       -> prints the connection string (Host=127.0.0.1;Port=...;Username=postgres). Without "durable" the server skips
#          fsync (fine for tests); with it (the benchmark) it keeps fsync and only commits asynchronously, which is the
#          durability the SQLite file has (WAL, synchronous=NORMAL: an app crash loses nothing, a power cut the last
#          commits, and nothing is ever corrupted).
#   scripts/throwaway-postgres.sh stop DIR    -> stops the server and removes DIR
set -euo pipefail

command=${1:?usage: $0 start|stop DIR}
dir=${2:?usage: $0 start|stop DIR}

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

case "$command" in
  start)
    if [ -z "$(bin_dir)" ]; then
      echo "Installing Debian's postgresql for the PostgreSQL test runs..." >&2
      if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
      $sudo apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null 2>&1
    fi
    bin=$(bin_dir)
    [ -n "$bin" ] || { echo "PostgreSQL is not installed and could not be installed." >&2; exit 1; }
    # Debian's package starts a cluster of its own on 5432; this one is separate and goes away with DIR.
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    mkdir -p "$dir"
    run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    run "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
    if [ "${3:-}" = "durable" ]; then
      safety="-c synchronous_commit=off"
    else
      # Tuned for tests on a small machine: nothing here needs to survive a power cut.
      safety="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    run "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $safety -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres"
    ;;
  stop)
    bin=$(bin_dir)
    if [ -d "$dir/data" ] && [ -n "$bin" ]; then
      if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
      else "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
