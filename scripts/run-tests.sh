#!/usr/bin/env bash
# Usage: scripts/run-tests.sh [PYTEST_ARGS...]
#
# Starts the services the test suite needs, runs pytest, and always stops the
# services again (EXIT trap), exiting with pytest's status.
#
# If DATABASE_URL is already set, that database is used and no throwaway
# PostgreSQL cluster is started.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO_ROOT"

PYTHON="${PYTHON:-$REPO_ROOT/.venv/bin/python}"
export DJANGO_SETTINGS_MODULE="marketplace.settings.test"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

log() { echo "run-tests: $*" >&2; }

# Services started so far, most recent first; stop_services walks this list.
STARTED_SERVICES=""

# --- postgres ---------------------------------------------------------------
start_postgres() {
    if [ -n "${DATABASE_URL:-}" ]; then
        log "DATABASE_URL is set; using it and not starting a PostgreSQL cluster"
        return 0
    fi
    # Registered before starting: stop is a no-op if start never got going,
    # and pg-cluster.sh cleans up after itself when start fails half-way.
    STARTED_SERVICES="postgres $STARTED_SERVICES"
    local out
    out="$(bash scripts/pg-cluster.sh start)"
    DATABASE_URL="$(printf '%s\n' "$out" | sed -n 's/^DATABASE_URL=//p' | tail -n 1)"
    [ -n "$DATABASE_URL" ] || { log "pg-cluster.sh printed no DATABASE_URL"; return 1; }
    export DATABASE_URL
}

stop_postgres() {
    bash scripts/pg-cluster.sh stop
}

# --- add further services here: start_<name>/stop_<name>, then list <name>
# --- in start_services below.

start_services() {
    local svc
    for svc in postgres; do
        "start_$svc"
    done
}

stop_services() {
    local svc
    for svc in $STARTED_SERVICES; do
        "stop_$svc" || log "stopping $svc failed"
    done
    STARTED_SERVICES=""
}

on_exit() {
    local rc=$?
    trap - EXIT
    stop_services
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_services

log "DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE DATABASE_URL=$DATABASE_URL CHROMIUM_PATH=$CHROMIUM_PATH"
set +e
"$PYTHON" -m pytest "$@"
status=$?
set -e
exit "$status"
