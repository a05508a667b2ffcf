#!/usr/bin/env bash
# Usage: scripts/localstripe.sh start|stop|status
#
# A throwaway localstripe (PyPI; a stateful Stripe stand-in) for the Stripe
# tests: the API, signed webhooks to URLs registered at /_config/webhooks/<id>,
# and a Stripe.js stand-in at /js.stripe.com/v3/. It runs from the project's
# venv (pinned in requirements/constraints.txt, installed by `make venv`) on
# 127.0.0.1 only, from an empty store (scripts/lib/localstripe_loopback.py).
# `start` prints STRIPE_API_BASE=http://127.0.0.1:PORT on stdout (everything
# else goes to stderr); if one from an earlier `start` is still up it is
# reused. `stop` shuts it down (SIGTERM, then SIGKILL).
#
# Environment:
#   LOCALSTRIPE_TEST_PORT       preferred port (default 58420; the next free one is used if busy)
#   LOCALSTRIPE_TEST_STATE_DIR  where the state file and log live (default <repo>/.localstripe-test)
#   PYTHON                      interpreter with localstripe installed (default <repo>/.venv/bin/python)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${LOCALSTRIPE_TEST_STATE_DIR:-$REPO_ROOT/.localstripe-test}"
STATE_FILE="$STATE_DIR/state"
LOG_FILE="$STATE_DIR/localstripe.log"
PYTHON="${PYTHON:-$REPO_ROOT/.venv/bin/python}"
START_TIMEOUT=30
STOP_TIMEOUT=10

log() { echo "localstripe: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=lib/services.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/services.sh"

api_base() { echo "http://127.0.0.1:$LS_PORT"; }

# The Stripe.js stand-in is served without a key: a cheap liveness check.
healthy() {
    curl -fsS -m 5 -o /dev/null "$(api_base)/js.stripe.com/v3/" 2>/dev/null
}

load_state() {
    LS_PORT="" LS_PID=""
    [ -f "$STATE_FILE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE_FILE"
}

write_state() {
    mkdir -p "$STATE_DIR"
    {
        printf 'LS_PORT=%q\n' "$LS_PORT"
        printf 'LS_PID=%q\n' "$LS_PID"
    } >"$STATE_FILE.tmp"
    mv "$STATE_FILE.tmp" "$STATE_FILE"
}

teardown() {
    local deadline
    if pid_alive "${LS_PID:-}"; then
        kill -TERM "$LS_PID" 2>/dev/null || true
        deadline=$((SECONDS + STOP_TIMEOUT))
        while pid_alive "$LS_PID" && [ "$SECONDS" -lt "$deadline" ]; do
            sleep 0.2
        done
        if pid_alive "$LS_PID"; then
            log "still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL "$LS_PID" 2>/dev/null || true
        fi
    fi
    rm -f "$STATE_FILE" "$LOG_FILE"
    rmdir "$STATE_DIR" 2>/dev/null || true
}

start() {
    if load_state && pid_alive "$LS_PID" && healthy; then
        log "reusing the server started earlier (pid $LS_PID)"
        echo "STRIPE_API_BASE=$(api_base)"
        return 0
    fi
    load_state 2>/dev/null && teardown
    "$PYTHON" -c "import localstripe" 2>/dev/null ||
        die "localstripe is not installed in $PYTHON's environment (make venv installs it)"
    command -v curl >/dev/null 2>&1 || die "curl not found (install the 'curl' package)"

    LS_PORT="${LOCALSTRIPE_TEST_PORT:-58420}"
    while port_in_use "$LS_PORT"; do
        LS_PORT=$((LS_PORT + 1))
    done
    mkdir -p "$STATE_DIR"
    # A session of its own, so the test runner's signals do not reach it.
    setsid "$PYTHON" "$REPO_ROOT/scripts/lib/localstripe_loopback.py" "$LS_PORT" \
        </dev/null >"$LOG_FILE" 2>&1 &
    LS_PID=$!
    write_state

    local deadline=$((SECONDS + START_TIMEOUT))
    until healthy; do
        if ! pid_alive "$LS_PID"; then
            tail -n 30 "$LOG_FILE" >&2 || true
            teardown
            die "localstripe exited during start"
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            tail -n 30 "$LOG_FILE" >&2 || true
            teardown
            die "localstripe did not answer within ${START_TIMEOUT}s"
        fi
        sleep 0.2
    done
    log "listening on $(api_base) (pid $LS_PID)"
    echo "STRIPE_API_BASE=$(api_base)"
}

case "${1:-}" in
    start) start ;;
    stop)
        if load_state; then
            teardown
            log "stopped"
        fi
        ;;
    status)
        if load_state && pid_alive "$LS_PID" && healthy; then
            echo "STRIPE_API_BASE=$(api_base)"
        else
            log "not running"
            exit 1
        fi
        ;;
    *) die "usage: $0 start|stop|status" ;;
esac
