#!/usr/bin/env bash
# A throw-away PostgreSQL server from Debian's packages (postgresql), for measurements and tests.
#   pg_temp.sh start DIR [PORT]  -> initdb in DIR/data as a non-root user, listen on 127.0.0.1:PORT
#                                   only (no Unix socket outside DIR), create database "optuna",
#                                   print the SQLAlchemy URL (postgresql+psycopg2://...) on stdout.
#   pg_temp.sh db DIR PORT NAME  -> create database NAME if missing (each Optuna version needs its
#                                   own: 4.x refuses a schema made by 3.1), print its URL.
#   pg_temp.sh stop DIR          -> fast shutdown (pg_ctl stop -m fast); DIR can then be removed.
# Runs the server as the Debian "postgres" user when invoked as root (initdb refuses root), else as
# the calling user. Exit 2 with a one-line message if the binaries are missing.
set -euo pipefail
cmd=${1:-}; dir=${2:-}; port=${3:-55432}
if [[ -z $cmd || -z $dir ]]; then echo "usage: pg_temp.sh start|stop DIR [PORT]" >&2; exit 2; fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z $bin || ! -x $bin/initdb ]]; then echo "pg_temp.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 2; fi
as_user() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start)
    mkdir -p "$dir"; [[ $(id -u) == 0 ]] && chown postgres "$dir"
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      as_user "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1
    fi
    as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=on -c max_connections=200" start >/dev/null
    as_user "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname='optuna'" | grep -q 1 || \
      as_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres optuna
    echo "postgresql+psycopg2://postgres@127.0.0.1:$port/optuna"
    ;;
  db)
    name=${4:?database name}
    as_user "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 || \
      as_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
    echo "postgresql+psycopg2://postgres@127.0.0.1:$port/$name"
    ;;
  stop)
    as_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "pg_temp.sh: unknown command $cmd (start|stop)" >&2; exit 2 ;;
esac
