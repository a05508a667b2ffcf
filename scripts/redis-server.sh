#!/usr/bin/env bash
# Usage: scripts/redis-server.sh start|stop|status
#
# A throwaway Redis (Debian's redis-server) for the test suite: the task-queue
# tests run a real Celery worker against it. Each `start` makes a fresh temp
# directory, owned by the non-login system user marketplace-redis when we are
# root, and runs redis-server there as that user, on 127.0.0.1 only, with no
# persistence (nothing is saved, nothing survives a stop). `start` prints
# REDIS_URL=redis://127.0.0.1:PORT/0 on stdout (everything else goes to
# stderr); if a server from an earlier `start` is still up it is reused and
# its URL printed again. `stop` shuts it down (SIGTERM, then SIGKILL) and
# deletes the temp directory.
#
# Environment:
#   REDIS_TEST_PORT       preferred port (default 56379; the next free one is used if busy)
#   REDIS_TEST_STATE_DIR  where the state file lives (default <repo>/.redis-test)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${REDIS_TEST_STATE_DIR:-$REPO_ROOT/.redis-test}"
STATE_FILE="$STATE_DIR/state"
REDIS_SYSTEM_USER="marketplace-redis"
START_TIMEOUT=30
STOP_TIMEOUT=10

log() { echo "redis-server: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=lib/services.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/services.sh"

redis_url() { echo "redis://127.0.0.1:$REDIS_PORT/0"; }

healthy() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

ensure_system_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id -u "$REDIS_SYSTEM_USER" >/dev/null 2>&1; then
        log "creating system user $REDIS_SYSTEM_USER"
        local nologin=/usr/sbin/nologin
        [ -x "$nologin" ] || nologin=/bin/false
        useradd --system --no-create-home --home-dir /nonexistent \
            --shell "$nologin" --user-group "$REDIS_SYSTEM_USER"
    fi
}

# Prefix that runs a command as the server's owner: the dedicated system user
# when we are root, otherwise nothing.
run_as_prefix() {
    RUN_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        command -v runuser >/dev/null 2>&1 || die "runuser not found (util-linux)"
        RUN_AS=(runuser -u "$REDIS_SYSTEM_USER" --)
    fi
}

write_state() {
    mkdir -p "$STATE_DIR"
    {
        printf 'REDIS_DIR=%q\n' "$REDIS_DIR"
        printf 'REDIS_PORT=%q\n' "$REDIS_PORT"
        printf 'REDIS_PID=%q\n' "$REDIS_PID"
    } >"$STATE_FILE.tmp"
    mv "$STATE_FILE.tmp" "$STATE_FILE"
}

load_state() {
    REDIS_DIR="" REDIS_PORT="" REDIS_PID=""
    [ -f "$STATE_FILE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE_FILE"
}

# Stops whatever the state file describes and removes its temp directory.
teardown() {
    local deadline
    if pid_alive "${REDIS_PID:-}"; then
        kill -TERM "$REDIS_PID" 2>/dev/null || true
        deadline=$((SECONDS + STOP_TIMEOUT))
        while pid_alive "$REDIS_PID" && [ "$SECONDS" -lt "$deadline" ]; do
            sleep 0.2
        done
        if pid_alive "$REDIS_PID"; then
            log "still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL "$REDIS_PID" 2>/dev/null || true
        fi
    fi
    case "${REDIS_DIR:-}" in
        */marketplace-redis.*) rm -rf -- "$REDIS_DIR" ;;
        "") ;;
        *) log "not removing unexpected directory $REDIS_DIR" ;;
    esac
    rm -f "$STATE_FILE"
    rmdir "$STATE_DIR" 2>/dev/null || true
}

write_config() {
    cat >"$REDIS_DIR/redis.conf" <<CONF
# throwaway test server (scripts/redis-server.sh)
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
daemonize no
dir $REDIS_DIR
logfile $REDIS_DIR/redis.log
save ""
appendonly no
databases 16
CONF
}

cmd_start() {
    if load_state; then
        if pid_alive "${REDIS_PID:-}" && healthy; then
            log "already running (pid $REDIS_PID, port $REDIS_PORT, dir $REDIS_DIR); reusing it"
            echo "REDIS_URL=$(redis_url)"
            return 0
        fi
        log "cleaning up stale server from $STATE_FILE"
        teardown
    fi
    command -v redis-server >/dev/null 2>&1 || die "redis-server not found (install the 'redis-server' package)"
    command -v redis-cli >/dev/null 2>&1 || die "redis-cli not found (install the 'redis-tools' package)"
    command -v setsid >/dev/null 2>&1 || die "setsid not found (util-linux)"
    ensure_system_user
    run_as_prefix

    REDIS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/marketplace-redis.XXXXXX")"
    REDIS_PORT="" REDIS_PID=""
    # From here on, any failure stops the half-started server and cleans up.
    trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "start failed; cleaning up"; teardown; fi' EXIT
    write_state
    if [ "$(id -u)" -eq 0 ]; then
        chown "$REDIS_SYSTEM_USER:" "$REDIS_DIR"
    fi
    chmod 700 "$REDIS_DIR"

    local port="${REDIS_TEST_PORT:-56379}" deadline
    for _ in $(seq 1 10); do
        while port_in_use "$port"; do port=$((port + 1)); done
        REDIS_PORT="$port" REDIS_PID=""
        write_config
        log "starting redis-server on 127.0.0.1:$REDIS_PORT (dir $REDIS_DIR)"
        # A session of its own, so the test runner's signals do not reach it;
        # no inherited stdout, so $(redis-server.sh start) returns.
        setsid "${RUN_AS[@]}" redis-server "$REDIS_DIR/redis.conf" </dev/null >/dev/null 2>&1 &
        REDIS_PID=$!
        write_state
        deadline=$((SECONDS + START_TIMEOUT))
        until healthy; do
            if ! pid_alive "$REDIS_PID" || [ "$SECONDS" -ge "$deadline" ]; then
                break
            fi
            sleep 0.2
        done
        if pid_alive "$REDIS_PID" && healthy; then
            break
        fi
        if grep -qs 'Address already in use' "$REDIS_DIR/redis.log"; then
            log "port $REDIS_PORT was taken; trying the next one"
            pid_alive "$REDIS_PID" && kill -KILL "$REDIS_PID" 2>/dev/null
            port=$((port + 1))
            continue
        fi
        tail -n 30 "$REDIS_DIR/redis.log" >&2 || true
        die "redis-server did not answer within ${START_TIMEOUT}s"
    done
    healthy || die "could not find a free port"
    # runuser may sit between us and the server; record the server's own pid.
    local server_pid
    server_pid="$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info server | tr -d '\r' | sed -n 's/^process_id://p')"
    [ -n "$server_pid" ] && REDIS_PID="$server_pid"
    write_state
    trap - EXIT
    log "running (pid $REDIS_PID, port $REDIS_PORT, dir $REDIS_DIR)"
    echo "REDIS_URL=$(redis_url)"
}

cmd_stop() {
    if ! load_state; then
        log "no state file ($STATE_FILE); nothing to stop"
        return 0
    fi
    log "stopping redis-server (pid ${REDIS_PID:-?}, port ${REDIS_PORT:-?}) and removing $REDIS_DIR"
    teardown
}

cmd_status() {
    if load_state && pid_alive "${REDIS_PID:-}" && healthy; then
        log "running (pid $REDIS_PID, port $REDIS_PORT, dir $REDIS_DIR)"
        echo "REDIS_URL=$(redis_url)"
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
