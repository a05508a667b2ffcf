#!/usr/bin/env bash
# Usage: scripts/es-server.sh start|stop|status
#
# A throwaway single-node Elasticsearch for the test suite. The distribution is
# the integration-test zip (org.elasticsearch.distribution.integ-test-zip:
# elasticsearch), fetched once with `mvn dependency:copy` into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/marketplace/elasticsearch/<version>
# and unpacked there; later runs use the cache and never touch the network.
#
# Each `start` copies the distribution into a fresh temp directory (ES writes
# into its config/ directory), owned by the non-login system user
# marketplace-es when we are root (Elasticsearch refuses to run as root), and
# starts it on 127.0.0.1 with security off and a small heap. `start` prints
# ELASTICSEARCH_URL=http://127.0.0.1:PORT on stdout (everything else goes to
# stderr); if a server from an earlier `start` is still up, it is reused and
# its URL printed again. `stop` shuts it down (SIGTERM, then SIGKILL) and
# deletes the temp directory.
#
# What the integ-test zip lacks (server core + x-pack-core/security,
# transport-netty4, apm only): the analysis-common module (no whitespace/
# keyword/ngram tokenizers, no asciifolding/edge_ngram filters, no cjk or
# language analyzers; the built-in standard, simple, whitespace, stop and
# keyword *analyzers* are there), the rest-root module (GET / answers 405 and
# HEAD / fails, so clients' info()/ping() do not work: use
# /_cluster/health), reindex (_delete_by_query, _update_by_query,
# _reindex), painless (no scripts), mapper-extras (search_as_you_type,
# scaled_float, ...). text, keyword, completion fields, bulk, aliases,
# search and suggesters work.
#
# Environment:
#   ES_VERSION               distribution version (default below)
#   ES_TEST_PORT             preferred HTTP port (default 59200; the next free one is used if busy)
#   ES_TEST_TRANSPORT_PORT   preferred transport port (default 59300; likewise)
#   ES_TEST_HEAP             heap size, -Xms = -Xmx (default 512m)
#   ES_TEST_STATE_DIR        where the state file lives (default <repo>/.es-test)
#   ES_JAVA_HOME             JDK/JRE to run it with (default: the one `java` on PATH belongs to)
#   XDG_CACHE_HOME           cache root (default ~/.cache)
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

ES_VERSION="${ES_VERSION:-8.19.9}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${ES_TEST_STATE_DIR:-$REPO_ROOT/.es-test}"
STATE_FILE="$STATE_DIR/state"
CACHE_ROOT="${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/marketplace/elasticsearch"
CACHE_DIR="$CACHE_ROOT/$ES_VERSION"
DIST_DIR="$CACHE_DIR/elasticsearch-$ES_VERSION"
ES_SYSTEM_USER="marketplace-es"
HEAP="${ES_TEST_HEAP:-512m}"
START_TIMEOUT=90
STOP_TIMEOUT=30

log() { echo "es-server: $*" >&2; }
die() { log "$*"; exit 1; }

# --- distribution -------------------------------------------------------------

# Downloads and unpacks the distribution into $DIST_DIR unless it is there.
# A marker file is written last, so an interrupted download is redone.
ensure_distribution() {
    if [ -f "$CACHE_DIR/.complete" ] && [ -x "$DIST_DIR/bin/elasticsearch" ]; then
        return 0
    fi
    mkdir -p "$CACHE_ROOT"
    # One download at a time per cache (two test runs starting together).
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$CACHE_ROOT/.lock"
        flock 9
        if [ -f "$CACHE_DIR/.complete" ] && [ -x "$DIST_DIR/bin/elasticsearch" ]; then
            exec 9>&-
            return 0
        fi
    fi
    command -v mvn >/dev/null 2>&1 || die "mvn not found (install the 'maven' package); needed once to fetch $ES_ARTIFACT"
    command -v unzip >/dev/null 2>&1 || die "unzip not found (install the 'unzip' package)"

    local staging
    staging="$(mktemp -d "$CACHE_ROOT/.download.XXXXXX")"
    log "fetching $ES_ARTIFACT with mvn dependency:copy into $CACHE_DIR (once)"
    # -Dartifact needs no pom; run from the empty staging dir so no project
    # pom in the working directory is picked up. A private local repository
    # keeps the ~100 MB zip out of ~/.m2.
    if ! (cd "$staging" && mvn -B -q dependency:copy \
            -Dmaven.repo.local="$CACHE_ROOT/m2" \
            -Dartifact="$ES_ARTIFACT" \
            -DoutputDirectory="$staging" \
            -Dmdep.overWriteReleases=true >"$staging/mvn.log" 2>&1); then
        tail -n 30 "$staging/mvn.log" >&2
        rm -rf -- "$staging"
        die "could not fetch $ES_ARTIFACT (is ES_VERSION=$ES_VERSION published?)"
    fi
    local zip="$staging/elasticsearch-$ES_VERSION.zip"
    [ -f "$zip" ] || { rm -rf -- "$staging"; die "mvn reported success but $zip is missing"; }
    log "unpacking $(basename "$zip")"
    if ! unzip -q "$zip" -d "$staging/unpacked"; then
        rm -rf -- "$staging"
        die "unzip failed"
    fi
    [ -x "$staging/unpacked/elasticsearch-$ES_VERSION/bin/elasticsearch" ] ||
        { rm -rf -- "$staging"; die "unexpected zip layout (no elasticsearch-$ES_VERSION/bin/elasticsearch)"; }
    rm -rf -- "$CACHE_DIR"
    mkdir -p "$CACHE_DIR"
    mv "$staging/unpacked/elasticsearch-$ES_VERSION" "$DIST_DIR"
    touch "$CACHE_DIR/.complete"
    rm -rf -- "$staging"
    # The unpacked tree is what we keep; drop the zip's copy in the private
    # repository (the plugin jars stay, for the next version bump).
    rm -rf -- "$CACHE_ROOT/m2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION"
    if command -v flock >/dev/null 2>&1; then exec 9>&-; fi
    log "cached in $DIST_DIR"
}

find_java_home() {
    if [ -n "${ES_JAVA_HOME:-}" ]; then
        [ -x "$ES_JAVA_HOME/bin/java" ] || die "ES_JAVA_HOME=$ES_JAVA_HOME has no bin/java"
        echo "$ES_JAVA_HOME"
        return 0
    fi
    local java
    java="$(command -v java 2>/dev/null)" || die "java not found (Elasticsearch $ES_VERSION needs Java 17 or newer; or set ES_JAVA_HOME)"
    java="$(readlink -f "$java")"
    dirname "$(dirname "$java")"
}

# --- process helpers ----------------------------------------------------------

# Prefix that runs a command as the server's owner: the dedicated system user
# when we are root (Elasticsearch refuses to run as root), otherwise nothing.
run_as_prefix() {
    RUN_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        command -v runuser >/dev/null 2>&1 || die "runuser not found (util-linux)"
        RUN_AS=(runuser -u "$ES_SYSTEM_USER" --)
    fi
}

ensure_system_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id -u "$ES_SYSTEM_USER" >/dev/null 2>&1; then
        log "creating system user $ES_SYSTEM_USER"
        local nologin=/usr/sbin/nologin
        [ -x "$nologin" ] || nologin=/bin/false
        useradd --system --no-create-home --home-dir /nonexistent \
            --shell "$nologin" --user-group "$ES_SYSTEM_USER"
    fi
}

# shellcheck source=lib/services.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/services.sh"

es_url() {
    echo "http://127.0.0.1:$ES_PORT"
}

healthy() {
    curl -fsS -m 5 -o /dev/null "$(es_url)/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null
}

# --- state --------------------------------------------------------------------

write_state() {
    mkdir -p "$STATE_DIR"
    {
        printf 'ES_DIR=%q\n' "$ES_DIR"
        printf 'ES_PORT=%q\n' "$ES_PORT"
        printf 'ES_TRANSPORT_PORT=%q\n' "$ES_TRANSPORT_PORT"
        printf 'ES_PID=%q\n' "$ES_PID"
        printf 'ES_CLI_PID=%q\n' "$ES_CLI_PID"
        printf 'ES_STATE_VERSION=%q\n' "$ES_VERSION"
    } >"$STATE_FILE.tmp"
    mv "$STATE_FILE.tmp" "$STATE_FILE"
}

load_state() {
    ES_DIR="" ES_PORT="" ES_TRANSPORT_PORT="" ES_PID="" ES_CLI_PID="" ES_STATE_VERSION=""
    [ -f "$STATE_FILE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE_FILE"
}

# Reads the server's pid from the pid file the launcher writes.
read_pidfile() {
    if [ -z "${ES_PID:-}" ] && [ -n "${ES_DIR:-}" ] && [ -s "$ES_DIR/es.pid" ]; then
        ES_PID="$(tr -dc '0-9' <"$ES_DIR/es.pid")"
        write_state
    fi
}

# True if any process is left in the process group (the launcher runs in a
# session of its own, so its pid is the group id of everything it started).
group_alive() {
    [ -n "${1:-}" ] || return 1
    kill -0 -- "-$1" 2>/dev/null
}

# SIGTERM to the server, then to whatever is left of the launcher's process
# group; SIGKILL for anything still there after STOP_TIMEOUT seconds.
stop_processes() {
    local deadline
    if pid_alive "${ES_PID:-}"; then
        kill -TERM "$ES_PID" 2>/dev/null || true
    fi
    if group_alive "${ES_CLI_PID:-}"; then
        kill -TERM -- "-$ES_CLI_PID" 2>/dev/null || true
    fi
    deadline=$((SECONDS + STOP_TIMEOUT))
    while { pid_alive "${ES_PID:-}" || group_alive "${ES_CLI_PID:-}"; } && [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.2
    done
    if pid_alive "${ES_PID:-}" || group_alive "${ES_CLI_PID:-}"; then
        log "elasticsearch still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
        pid_alive "${ES_PID:-}" && kill -KILL "$ES_PID" 2>/dev/null
        group_alive "${ES_CLI_PID:-}" && kill -KILL -- "-$ES_CLI_PID" 2>/dev/null
        sleep 0.5
    fi
    return 0
}

# Stops whatever the state file describes and removes its temp directory.
teardown() {
    read_pidfile 2>/dev/null || true
    stop_processes
    case "${ES_DIR:-}" in
        */marketplace-es.*) rm -rf -- "$ES_DIR" ;;
        "") ;;
        *) log "not removing unexpected directory $ES_DIR" ;;
    esac
    rm -f "$STATE_FILE"
    rmdir "$STATE_DIR" 2>/dev/null || true
}

log_tail() {
    local f
    for f in "$ES_DIR/launcher.log" "$ES_DIR/logs/marketplace-test.log"; do
        if [ -s "$f" ]; then
            log "--- last lines of $f ---"
            tail -n 30 "$f" >&2
        fi
    done
}

# --- commands -----------------------------------------------------------------

write_config() {
    local mmap="true" max_map_count
    max_map_count="$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 262144)"
    # Below Elasticsearch's minimum, use NIO instead of mmap for index files
    # (slower, but nothing runs out of memory map areas).
    if [ "$max_map_count" -lt 262144 ]; then
        mmap="false"
    fi
    cat >"$ES_DIR/home/config/elasticsearch.yml" <<YML
# throwaway test node (scripts/es-server.sh)
cluster.name: marketplace-test
node.name: marketplace-test-node
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
path.data: $ES_DIR/data
path.logs: $ES_DIR/logs
xpack.security.enabled: false
xpack.ml.enabled: false
action.destructive_requires_name: false
cluster.routing.allocation.disk.threshold_enabled: false
node.store.allow_mmap: $mmap
YML
}

cmd_start() {
    if load_state; then
        if [ "$ES_STATE_VERSION" = "$ES_VERSION" ] && pid_alive "${ES_PID:-}" && healthy; then
            log "already running (pid $ES_PID, port $ES_PORT, dir $ES_DIR); reusing it"
            echo "ELASTICSEARCH_URL=$(es_url)"
            return 0
        fi
        log "cleaning up stale server from $STATE_FILE"
        teardown
    fi

    command -v curl >/dev/null 2>&1 || die "curl not found"
    ensure_distribution
    local java_home
    java_home="$(find_java_home)"
    ensure_system_user
    run_as_prefix
    command -v setsid >/dev/null 2>&1 || die "setsid not found (util-linux)"

    ES_DIR="$(mktemp -d "${TMPDIR:-/tmp}/marketplace-es.XXXXXX")"
    ES_PORT="" ES_TRANSPORT_PORT="" ES_PID="" ES_CLI_PID=""
    # From here on, any failure stops the half-started server and cleans up.
    trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "start failed; cleaning up"; teardown; fi' EXIT
    write_state
    cp -R "$DIST_DIR" "$ES_DIR/home"
    mkdir -p "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$ES_SYSTEM_USER:" "$ES_DIR"
    fi
    chmod 700 "$ES_DIR"

    local port="${ES_TEST_PORT:-59200}" tport="${ES_TEST_TRANSPORT_PORT:-59300}"
    for _ in $(seq 1 10); do
        while port_in_use "$port"; do port=$((port + 1)); done
        while port_in_use "$tport" || [ "$tport" -eq "$port" ]; do tport=$((tport + 1)); done
        ES_PORT="$port" ES_TRANSPORT_PORT="$tport" ES_PID="" ES_CLI_PID=""
        write_config
        rm -f "$ES_DIR/es.pid" "$ES_DIR"/logs/*.log
        : >"$ES_DIR/launcher.log"
        [ "$(id -u)" -ne 0 ] || chown -R "$ES_SYSTEM_USER:" "$ES_DIR/home/config" "$ES_DIR/launcher.log"
        log "starting elasticsearch $ES_VERSION on 127.0.0.1:$ES_PORT (transport $ES_TRANSPORT_PORT, heap $HEAP, java $java_home)"
        # -d: the launcher detaches the server once it is up and exits; -p:
        # the server's pid. setsid: a process group of its own, so stop can
        # reach everything the launcher started. No inherited stdout, so
        # $(es-server.sh start) returns.
        (cd "$ES_DIR" && exec setsid "${RUN_AS[@]}" env -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS -u JAVA_OPTS \
            ES_JAVA_HOME="$java_home" \
            ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" \
            ES_TMPDIR="$ES_DIR/tmp" \
            "$ES_DIR/home/bin/elasticsearch" -d -p "$ES_DIR/es.pid" \
            </dev/null >"$ES_DIR/launcher.log" 2>&1) &
        ES_CLI_PID=$!
        write_state
        if wait_ready; then
            break
        fi
        if grep -qs 'BindTransportException\|BindHttpException\|Address already in use' \
                "$ES_DIR/launcher.log" "$ES_DIR"/logs/*.log; then
            log "port $ES_PORT or $ES_TRANSPORT_PORT was taken; trying the next ones"
            teardown_process_only
            port=$((port + 1))
            tport=$((tport + 1))
            continue
        fi
        log "elasticsearch failed to start: $WAIT_REASON"
        log_tail
        exit 1
    done
    healthy || die "could not find free ports"

    # The launcher exits once the server is detached; reap it.
    local deadline=$((SECONDS + 15))
    while pid_alive "$ES_CLI_PID" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    read_pidfile
    pid_alive "${ES_PID:-}" || { log_tail; die "server pid unknown (no $ES_DIR/es.pid)"; }
    write_state
    trap - EXIT
    log "running (pid $ES_PID, port $ES_PORT, dir $ES_DIR)"
    echo "ELASTICSEARCH_URL=$(es_url)"
}

# Stops the processes of a failed attempt but keeps the temp dir for a retry.
teardown_process_only() {
    read_pidfile 2>/dev/null || true
    stop_processes
    ES_PID="" ES_CLI_PID=""
    rm -rf -- "${ES_DIR:?}/data"/* 2>/dev/null || true
}

# Polls cluster health until yellow; fails early if the launcher failed or the
# server died. ES_CLI_PID stays set after the launcher exits: it is also the
# process group id of the detached server.
wait_ready() {
    local deadline=$((SECONDS + START_TIMEOUT)) rc launcher_done=""
    WAIT_REASON="not ready (cluster health yellow) within ${START_TIMEOUT}s"
    while [ "$SECONDS" -lt "$deadline" ]; do
        read_pidfile
        if healthy; then
            return 0
        fi
        if [ -z "$launcher_done" ] && ! pid_alive "$ES_CLI_PID"; then
            # The launcher is gone: fine if it detached a live server,
            # a failure if it exited non-zero or left nothing running.
            launcher_done=1
            rc=0
            wait "$ES_CLI_PID" 2>/dev/null || rc=$?
            read_pidfile
            if [ "$rc" -ne 0 ] || ! pid_alive "${ES_PID:-}"; then
                WAIT_REASON="the launcher exited with status $rc"
                return 1
            fi
        fi
        if [ -n "$ES_PID" ] && ! pid_alive "$ES_PID"; then
            WAIT_REASON="the server (pid $ES_PID) died"
            return 1
        fi
        sleep 0.5
    done
    return 1
}

cmd_stop() {
    if ! load_state; then
        log "no state file ($STATE_FILE); nothing to stop"
        return 0
    fi
    log "stopping elasticsearch (pid ${ES_PID:-?}, port ${ES_PORT:-?}) and removing $ES_DIR"
    teardown
}

cmd_status() {
    if load_state && pid_alive "${ES_PID:-}" && healthy; then
        log "running (pid $ES_PID, port $ES_PORT, dir $ES_DIR)"
        echo "ELASTICSEARCH_URL=$(es_url)"
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
