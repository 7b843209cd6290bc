#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL 15 server of its own:
#   .ci/with-postgres.sh make test
# The server lives in a new folder under /tmp, listens only on a Unix socket there (no TCP),
# trusts local connections and skips fsync (its data is thrown away). The command sees its
# admin URL in STUDYLOG_TEST_PG; the server is stopped and the folder removed on any exit.
set -euo pipefail

pg_bin() {
    # initdb is on PATH on these machines; Debian's package keeps it in a versioned folder.
    if command -v initdb >/dev/null; then
        dirname "$(command -v initdb)"
        return
    fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$found" ]; then
        echo "with-postgres: initdb not found; installing Debian's postgresql package" >&2
        # The package's own cluster would start a second server on port 5432: not wanted.
        mkdir -p /etc/postgresql-common
        [ -e /etc/postgresql-common/createcluster.conf ] \
            || echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$found"
}

free_port() {
    # The socket's name carries the port; one no TCP listener holds avoids any confusion
    # with a server a developer runs.
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

PGBIN=$(pg_bin)
PGDIR=$(mktemp -d /tmp/studylog-pg.XXXXXX)  # short: a socket path has at most 107 bytes
PGPORT=$(free_port)
# PostgreSQL refuses to run as root.
if [ "$(id -u)" = 0 ]; then
    AS=(runuser -u postgres --)
    chown postgres: "$PGDIR"
else
    AS=()
fi

stop_server() {
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${AS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; exit 1; }
options="-k $PGDIR -p $PGPORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
options+=" -c full_page_writes=off -c max_connections=200"
"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -o "$options" -w -s start \
    || { cat "$PGDIR/server.log" >&2; exit 1; }

export STUDYLOG_TEST_PG="postgresql://postgres@/postgres?host=$PGDIR&port=$PGPORT"
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') at $STUDYLOG_TEST_PG" >&2
"$@"
