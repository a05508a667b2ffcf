#!/usr/bin/env bash
# Usage: scripts/s3-server.sh start|stop|status
#
# A throwaway S3-compatible server for the test suite: moto's standalone server
# (the moto[server] dev dependency, `moto_server` in the venv). The storage
# tests upload product images and private documents to it through
# django-storages, exactly as production does against a real object store.
# Each `start` makes a fresh temp directory (the log only: moto keeps every
# bucket in memory, nothing survives a stop) and runs the server from the
# project's venv on 127.0.0.1 only, as the calling user like localstripe.sh:
# it holds no data worth a user of its own, and the venv's interpreter may not
# be readable by another user. `start` prints S3_TEST_ENDPOINT_URL=http://127.0.0.1:PORT on
# stdout (everything else goes to stderr); if a server from an earlier `start`
# is still up it is reused and its URL printed again. `stop` shuts it down
# (SIGTERM, then SIGKILL) and deletes the temp directory.
#
# Environment:
#   S3_TEST_PORT       preferred port (default 59000; the next free one is used if busy)
#   S3_TEST_STATE_DIR  where the state file lives (default <repo>/.s3-test)
#   PYTHON             interpreter with moto[server] installed (default <repo>/.venv/bin/python)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${S3_TEST_STATE_DIR:-$REPO_ROOT/.s3-test}"
STATE_FILE="$STATE_DIR/state"
PYTHON="${PYTHON:-$REPO_ROOT/.venv/bin/python}"
START_TIMEOUT=60
STOP_TIMEOUT=10

log() { echo "s3-server: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=lib/services.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/services.sh"

s3_url() { echo "http://127.0.0.1:$S3_PORT"; }

# moto answers ListBuckets on / (200 with an XML body) once it serves.
healthy() {
    curl -fsS -o /dev/null --max-time 2 "$(s3_url)/" 2>/dev/null
}

write_state() {
    mkdir -p "$STATE_DIR"
    {
        printf 'S3_DIR=%q\n' "$S3_DIR"
        printf 'S3_PORT=%q\n' "$S3_PORT"
        printf 'S3_PID=%q\n' "$S3_PID"
    } >"$STATE_FILE.tmp"
    mv "$STATE_FILE.tmp" "$STATE_FILE"
}

load_state() {
    S3_DIR="" S3_PORT="" S3_PID=""
    [ -f "$STATE_FILE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE_FILE"
}

# Stops whatever the state file describes and removes its temp directory.
teardown() {
    local deadline
    if pid_alive "${S3_PID:-}"; then
        # The server runs in a session (and process group) of its own: signal
        # the group, so any worker it spawned goes too.
        kill -TERM -- "-$S3_PID" 2>/dev/null || kill -TERM "$S3_PID" 2>/dev/null || true
        deadline=$((SECONDS + STOP_TIMEOUT))
        while pid_alive "$S3_PID" && [ "$SECONDS" -lt "$deadline" ]; do
            sleep 0.2
        done
        if pid_alive "$S3_PID"; then
            log "still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL -- "-$S3_PID" 2>/dev/null || kill -KILL "$S3_PID" 2>/dev/null || true
        fi
    fi
    case "${S3_DIR:-}" in
        */marketplace-s3.*) rm -rf -- "$S3_DIR" ;;
        "") ;;
        *) log "not removing unexpected directory $S3_DIR" ;;
    esac
    rm -f "$STATE_FILE"
    rmdir "$STATE_DIR" 2>/dev/null || true
}

cmd_start() {
    if load_state; then
        if pid_alive "${S3_PID:-}" && healthy; then
            log "already running (pid $S3_PID, port $S3_PORT, dir $S3_DIR); reusing it"
            echo "S3_TEST_ENDPOINT_URL=$(s3_url)"
            return 0
        fi
        log "cleaning up stale server from $STATE_FILE"
        teardown
    fi
    "$PYTHON" -c "import moto.server, flask" 2>/dev/null \
        || die "moto[server] is not installed in $PYTHON (make venv installs the dev extras)"
    command -v curl >/dev/null 2>&1 || die "curl not found"
    command -v setsid >/dev/null 2>&1 || die "setsid not found (util-linux)"

    S3_DIR="$(mktemp -d "${TMPDIR:-/tmp}/marketplace-s3.XXXXXX")"
    S3_PORT="" S3_PID=""
    # From here on, any failure stops the half-started server and cleans up.
    trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "start failed; cleaning up"; teardown; fi' EXIT
    write_state
    chmod 700 "$S3_DIR"

    local port="${S3_TEST_PORT:-59000}" deadline
    for _ in $(seq 1 10); do
        while port_in_use "$port"; do port=$((port + 1)); done
        S3_PORT="$port" S3_PID=""
        log "starting moto_server on 127.0.0.1:$S3_PORT (dir $S3_DIR)"
        # A session of its own, so the test runner's signals do not reach it;
        # no inherited stdout, so $(s3-server.sh start) returns.
        (cd "$S3_DIR" && exec setsid "$PYTHON" -m moto.server -H 127.0.0.1 -p "$S3_PORT" \
            </dev/null >"$S3_DIR/server.log" 2>&1) &
        S3_PID=$!
        write_state
        deadline=$((SECONDS + START_TIMEOUT))
        until healthy; do
            if ! pid_alive "$S3_PID" || [ "$SECONDS" -ge "$deadline" ]; then
                break
            fi
            sleep 0.3
        done
        if pid_alive "$S3_PID" && healthy; then
            break
        fi
        if grep -qs 'Address already in use' "$S3_DIR/server.log"; then
            log "port $S3_PORT was taken; trying the next one"
            pid_alive "$S3_PID" && kill -KILL -- "-$S3_PID" 2>/dev/null
            port=$((port + 1))
            continue
        fi
        tail -n 30 "$S3_DIR/server.log" >&2 || true
        die "moto_server did not answer within ${START_TIMEOUT}s"
    done
    healthy || die "could not find a free port"
    trap - EXIT
    log "running (pid $S3_PID, port $S3_PORT, dir $S3_DIR)"
    echo "S3_TEST_ENDPOINT_URL=$(s3_url)"
}

cmd_stop() {
    if ! load_state; then
        log "no state file ($STATE_FILE); nothing to stop"
        return 0
    fi
    log "stopping moto_server (pid ${S3_PID:-?}, port ${S3_PORT:-?}) and removing $S3_DIR"
    teardown
}

cmd_status() {
    if load_state && pid_alive "${S3_PID:-}" && healthy; then
        log "running (pid $S3_PID, port $S3_PORT, dir $S3_DIR)"
        echo "S3_TEST_ENDPOINT_URL=$(s3_url)"
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
