# Shared by scripts/pg-cluster.sh and scripts/es-server.sh (sourced, not run).

# True if something listens on 127.0.0.1:$1.
port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        ss -Htln "sport = :$1" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# True if the process exists and is not a zombie waiting to be reaped.
pid_alive() {
    local state=""
    [ -n "${1:-}" ] || return 1
    kill -0 "$1" 2>/dev/null || return 1
    if [ -r "/proc/$1/stat" ]; then
        state="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || true
    fi
    [ "$state" != "Z" ]
}
