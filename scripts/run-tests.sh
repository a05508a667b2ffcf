#!/usr/bin/env bash
# Usage: scripts/run-tests.sh [PYTEST_ARGS...]
#
# Starts the services the test suite needs, runs pytest, and always stops the
# services again (EXIT trap).
#
# Two passes, both always run; the script exits 0 only if both pass (else with
# the first failing pass's status):
#   1. the suite on PostgreSQL (marketplace.settings.test) with PYTEST_ARGS;
#   2. the tests marked both_databases on SQLite, the database of `make run`
#      (marketplace.settings.test_sqlite), always the whole marked set:
#      PYTEST_ARGS (-k, -x, paths, ...) apply to the first pass only.
#      SQLITE_PASS=0 skips it.
#
# If DATABASE_URL is already set, that database is used and no throwaway
# PostgreSQL cluster is started. Likewise ELASTICSEARCH_URL: if set, that
# Elasticsearch is used; otherwise scripts/es-server.sh starts one. If it
# cannot be started, the run fails under CI (CI set); locally it goes on
# without ELASTICSEARCH_URL, with a loud warning, and the Elasticsearch tests
# skip. Under CI, ES_TEST_REQUIRED=1 is exported so they fail instead.
# localstripe (scripts/localstripe.sh) likewise: STRIPE_API_BASE, if set, is
# used as it is; otherwise one is started. Under CI STRIPE_TEST_REQUIRED=1 is
# exported and a localstripe that cannot start fails the run; locally the
# Stripe tests skip with a loud warning.
# Redis (scripts/redis-server.sh) likewise: REDIS_URL, if set, is used as it
# is; otherwise one is started. Under CI REDIS_TEST_REQUIRED=1 is exported and a
# Redis that cannot start fails the run; locally the task-queue tests that
# need a real worker skip with a loud warning.
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

# --- elasticsearch ----------------------------------------------------------
start_es() {
    if [ -n "${CI:-}" ]; then
        export ES_TEST_REQUIRED=1
    fi
    if [ -n "${ELASTICSEARCH_URL:-}" ]; then
        log "ELASTICSEARCH_URL is set; using it and not starting Elasticsearch"
        export ELASTICSEARCH_URL
        return 0
    fi
    STARTED_SERVICES="es $STARTED_SERVICES"
    local out url=""
    if out="$(bash scripts/es-server.sh start)"; then
        url="$(printf '%s\n' "$out" | sed -n 's/^ELASTICSEARCH_URL=//p' | tail -n 1)"
    fi
    if [ -z "$url" ]; then
        if [ -n "${CI:-}" ]; then
            log "Elasticsearch could not be started and CI is set; failing the run"
            return 1
        fi
        es_warning
        unset ELASTICSEARCH_URL
        return 0
    fi
    export ELASTICSEARCH_URL="$url"
}

es_warning() {
    cat >&2 <<'WARN'

######################################################################
##  WARNING: Elasticsearch could not be started (see above).        ##
##  The tests go on WITHOUT it: every Elasticsearch test is SKIPPED. ##
##  Fix it, or point ELASTICSEARCH_URL at a server of your own.      ##
##  Under CI (CI set) this fails the run.                            ##
######################################################################

WARN
}

stop_es() {
    bash scripts/es-server.sh stop
}

# --- localstripe -------------------------------------------------------------
start_localstripe() {
    if [ -n "${CI:-}" ]; then
        export STRIPE_TEST_REQUIRED=1
    fi
    if [ -n "${STRIPE_API_BASE:-}" ]; then
        log "STRIPE_API_BASE is set; using it and not starting localstripe"
        export STRIPE_API_BASE
        return 0
    fi
    STARTED_SERVICES="localstripe $STARTED_SERVICES"
    local out url=""
    if out="$(bash scripts/localstripe.sh start)"; then
        url="$(printf '%s\n' "$out" | sed -n 's/^STRIPE_API_BASE=//p' | tail -n 1)"
    fi
    if [ -z "$url" ]; then
        if [ -n "${CI:-}" ]; then
            log "localstripe could not be started and CI is set; failing the run"
            return 1
        fi
        log "WARNING: localstripe could not be started: every Stripe test is SKIPPED"
        unset STRIPE_API_BASE
        return 0
    fi
    export STRIPE_API_BASE="$url"
}

stop_localstripe() {
    bash scripts/localstripe.sh stop
}

# --- redis ------------------------------------------------------------------
start_redis() {
    if [ -n "${CI:-}" ]; then
        export REDIS_TEST_REQUIRED=1
    fi
    if [ -n "${REDIS_URL:-}" ]; then
        log "REDIS_URL is set; using it and not starting redis-server"
        export REDIS_URL
        return 0
    fi
    STARTED_SERVICES="redis $STARTED_SERVICES"
    local out url=""
    if out="$(bash scripts/redis-server.sh start)"; then
        url="$(printf '%s\n' "$out" | sed -n 's/^REDIS_URL=//p' | tail -n 1)"
    fi
    if [ -z "$url" ]; then
        if [ -n "${CI:-}" ]; then
            log "redis-server could not be started and CI is set; failing the run"
            return 1
        fi
        log "WARNING: redis-server could not be started: every task-queue worker test is SKIPPED"
        unset REDIS_URL
        return 0
    fi
    export REDIS_URL="$url"
}

stop_redis() {
    bash scripts/redis-server.sh stop
}

# --- add further services here: start_<name>/stop_<name>, then list <name>
# --- in start_services below.

start_services() {
    local svc
    for svc in postgres es localstripe redis; do
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

log "DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE DATABASE_URL=$DATABASE_URL CHROMIUM_PATH=$CHROMIUM_PATH ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-<none: Elasticsearch tests skip>}${ES_TEST_REQUIRED:+ ES_TEST_REQUIRED=$ES_TEST_REQUIRED} STRIPE_API_BASE=${STRIPE_API_BASE:-<none: Stripe tests skip>} REDIS_URL=${REDIS_URL:-<none: worker tests skip>}"
set +e
"$PYTHON" -m pytest "$@"
status=$?
if [ "${SQLITE_PASS:-1}" != "0" ]; then
    log "second pass: tests marked both_databases on SQLite (marketplace.settings.test_sqlite)"
    DJANGO_SETTINGS_MODULE=marketplace.settings.test_sqlite "$PYTHON" -m pytest -m both_databases
    sqlite_status=$?
    if [ "$status" -eq 0 ]; then
        status=$sqlite_status
    fi
fi
set -e
exit "$status"
