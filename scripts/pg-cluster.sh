#!/usr/bin/env bash
# Usage: scripts/pg-cluster.sh start|stop|status
#
# A throwaway PostgreSQL cluster for the test suite: a fresh temp directory,
# trust auth, listening only on 127.0.0.1, durability switched off for speed.
# `start` prints DATABASE_URL=postgres://postgres@127.0.0.1:PORT/marketplace
# on stdout (everything else goes to stderr); `stop` shuts it down and
# deletes the temp directory.
#
# Environment:
#   PG_TEST_PORT       preferred port (default 54329; the next free one is used if busy)
#   PG_TEST_STATE_DIR  where the state file lives (default <repo>/.pg-test)
#   PG_TEST_DB         database to create (default marketplace)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${PG_TEST_STATE_DIR:-$REPO_ROOT/.pg-test}"
STATE_FILE="$STATE_DIR/state"
PG_SYSTEM_USER="marketplace-pg"
DB_NAME="${PG_TEST_DB:-marketplace}"
START_TIMEOUT=30

log() { echo "pg-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

find_pg_bin() {
    local best="" dir
    # Highest major version wins.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
            best="$dir"
        fi
    done
    [ -n "$best" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install the 'postgresql' package)"
    echo "$best"
}

# Runs a command as the cluster owner: the dedicated system user when we are
# root (PostgreSQL refuses to run as root), otherwise the current user.
as_pg() {
    if [ "$(id -u)" -ne 0 ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$PG_SYSTEM_USER" -- "$@"
    else
        su -s /bin/bash "$PG_SYSTEM_USER" -c "$(printf '%q ' "$@")"
    fi
}

ensure_system_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id -u "$PG_SYSTEM_USER" >/dev/null 2>&1; then
        log "creating system user $PG_SYSTEM_USER"
        local nologin=/usr/sbin/nologin
        [ -x "$nologin" ] || nologin=/bin/false
        useradd --system --no-create-home --home-dir /nonexistent \
            --shell "$nologin" --user-group "$PG_SYSTEM_USER"
    fi
}

pick_locale() {
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        echo "C.UTF-8"
    else
        echo "C"
    fi
}

# shellcheck source=lib/services.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/services.sh"

write_state() {
    mkdir -p "$STATE_DIR"
    {
        printf 'PG_DIR=%q\n' "$PG_DIR"
        printf 'PG_PORT=%q\n' "$PG_PORT"
        printf 'PG_PID=%q\n' "$PG_PID"
        printf 'PG_BIN=%q\n' "$PG_BIN"
        printf 'DATABASE_URL=%q\n' "$(database_url)"
    } >"$STATE_FILE.tmp"
    mv "$STATE_FILE.tmp" "$STATE_FILE"
}

database_url() {
    echo "postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
}

load_state() {
    PG_DIR="" PG_PORT="" PG_PID="" PG_BIN=""
    [ -f "$STATE_FILE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE_FILE"
}

# Stops whatever the state file describes and removes its temp directory.
teardown() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] && [ -n "${PG_BIN:-}" ]; then
        if [ -f "$PG_DIR/data/postmaster.pid" ]; then
            (cd "$PG_DIR" && as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DIR/data" -m fast -w -t 30 >&2) ||
                log "pg_ctl stop failed"
        fi
    fi
    if pid_alive "${PG_PID:-}"; then
        log "postgres (pid $PG_PID) still alive; sending SIGQUIT"
        kill -QUIT "$PG_PID" 2>/dev/null || true
        sleep 1
        kill -KILL "$PG_PID" 2>/dev/null || true
    fi
    case "${PG_DIR:-}" in
        */marketplace-pg.*) rm -rf -- "$PG_DIR" ;;
        "") ;;
        *) log "not removing unexpected directory $PG_DIR" ;;
    esac
    rm -f "$STATE_FILE"
    rmdir "$STATE_DIR" 2>/dev/null || true
}

cmd_start() {
    if load_state; then
        if pid_alive "$PG_PID" && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
            log "already running (pid $PG_PID, port $PG_PORT, dir $PG_DIR)"
            echo "DATABASE_URL=$(database_url)"
            return 0
        fi
        log "cleaning up stale cluster from $STATE_FILE"
        teardown
    fi

    PG_BIN="$(find_pg_bin)"
    ensure_system_user

    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/marketplace-pg.XXXXXX")"
    PG_PORT="" PG_PID=""
    # From here on, any failure removes the half-built cluster.
    trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "start failed; cleaning up"; teardown; fi' EXIT
    mkdir -p "$PG_DIR/data" "$PG_DIR/socket"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$PG_SYSTEM_USER:" "$PG_DIR"
    fi
    chmod 700 "$PG_DIR" "$PG_DIR/data"
    write_state

    local locale
    locale="$(pick_locale)"
    log "initdb ($("$PG_BIN/postgres" --version), locale $locale) in $PG_DIR/data"
    if ! (cd "$PG_DIR" && as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" --auth=trust -U postgres \
            --encoding=UTF8 --locale="$locale" --no-instructions >"$PG_DIR/initdb.log" 2>&1); then
        if [ "$locale" != "C" ]; then
            log "initdb with locale $locale failed; retrying with C"
            rm -rf "${PG_DIR:?}/data"/* "$PG_DIR/data"/.[!.]* 2>/dev/null || true
            (cd "$PG_DIR" && as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" --auth=trust -U postgres \
                --encoding=UTF8 --locale=C --no-instructions >"$PG_DIR/initdb.log" 2>&1) ||
                { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
        else
            cat "$PG_DIR/initdb.log" >&2
            die "initdb failed"
        fi
    fi

    cat >>"$PG_DIR/data/postgresql.conf" <<CONF

# throwaway test cluster (scripts/pg-cluster.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR/socket'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
CONF

    local port="${PG_TEST_PORT:-54329}" attempt
    for attempt in $(seq 1 20); do
        while port_in_use "$port"; do
            port=$((port + 1))
        done
        PG_PORT="$port"
        write_state
        : >"$PG_DIR/postgres.log"
        [ "$(id -u)" -ne 0 ] || chown "$PG_SYSTEM_USER:" "$PG_DIR/postgres.log"
        log "starting postgres on 127.0.0.1:$PG_PORT"
        (cd "$PG_DIR" && as_pg "$PG_BIN/pg_ctl" start -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" \
            -o "-p $PG_PORT" -W >/dev/null 2>&1) || true
        if wait_ready; then
            break
        fi
        if grep -q 'could not bind\|Address already in use\|could not create any TCP/IP sockets' "$PG_DIR/postgres.log"; then
            log "port $PG_PORT was taken; trying the next one"
            PG_PID=""
            port=$((port + 1))
            continue
        fi
        log "postgres did not become ready within ${START_TIMEOUT}s; log follows"
        cat "$PG_DIR/postgres.log" >&2
        exit 1
    done
    pid_alive "$PG_PID" || die "could not find a free port"

    write_state
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB_NAME" >&2
    trap - EXIT
    log "running (pid $PG_PID, port $PG_PORT, dir $PG_DIR)"
    echo "DATABASE_URL=$(database_url)"
}

# Polls pg_isready; sets PG_PID. Fails early if the postmaster died.
wait_ready() {
    local deadline=$((SECONDS + START_TIMEOUT))
    PG_PID=""
    while [ "$SECONDS" -lt "$deadline" ]; do
        if [ -z "$PG_PID" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
            PG_PID="$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
            write_state
        fi
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 1; then
            [ -n "$PG_PID" ] || PG_PID="$(head -n 1 "$PG_DIR/data/postmaster.pid")"
            write_state
            return 0
        fi
        if [ -n "$PG_PID" ] && ! pid_alive "$PG_PID"; then
            return 1
        fi
        # A postmaster that failed to start logs FATAL; "the database system is
        # starting up" is only pg_isready's own probe arriving early, not a failure.
        if [ -z "$PG_PID" ] && grep 'FATAL' "$PG_DIR/postgres.log" 2>/dev/null \
            | grep -qv 'the database system is starting up'; then
            return 1
        fi
        sleep 0.2
    done
    return 1
}

cmd_stop() {
    if ! load_state; then
        log "no state file ($STATE_FILE); nothing to stop"
        return 0
    fi
    log "stopping postgres (pid ${PG_PID:-?}, port ${PG_PORT:-?}) and removing $PG_DIR"
    teardown
}

cmd_status() {
    if load_state && pid_alive "$PG_PID"; then
        log "running (pid $PG_PID, port $PG_PORT, dir $PG_DIR)"
        echo "DATABASE_URL=$(database_url)"
    else
        log "not running"
        return 1
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
