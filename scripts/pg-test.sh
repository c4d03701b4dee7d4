#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL: a new cluster in a temporary directory, on
# 127.0.0.1 and a free port, trusted for the user oobe; OOBE_TEST_POSTGRES names it for the
# store tests (internal/records, cmd/oobe). The cluster is stopped and removed afterwards.
#
#   scripts/pg-test.sh go test ./internal/records/ ./cmd/oobe/
#
# Needs PostgreSQL's server programs (Debian: apt-get install postgresql). As root, the
# server runs as the user postgres (or oobe-pg, made when there is no postgres user), since
# PostgreSQL refuses to run as root.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2; exit 2
fi

bindir=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bindir=$(dirname "$(command -v initdb)")
else
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then bindir=$d; break; fi
  done
fi
if [ -z "$bindir" ]; then
  echo "$0: PostgreSQL's initdb and pg_ctl not found (Debian: apt-get install postgresql)" >&2; exit 1
fi

as=()
dir=$(mktemp -d "${TMPDIR:-/tmp}/oobe-pg.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  if ! id "$user" >/dev/null 2>&1; then
    user=oobe-pg
    id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  fi
  chown "$user" "$dir"
  as=(runuser -u "$user" --)
fi

# pg runs a PostgreSQL program as that user, from the cluster's directory (the user may not
# be allowed into the working directory)
pg() { (cd "$dir" && "${as[@]}" "$@"); }

stop() {
  pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

pg "$bindir/initdb" -D "$dir/data" -U oobe -A trust -N -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }

started=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 30000))
  if pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-k $dir -h 127.0.0.1 -p $port -F -c fsync=off" start >/dev/null 2>&1; then
    started=1; break
  fi
done
if [ -z "$started" ]; then
  echo "$0: PostgreSQL did not start:" >&2; cat "$dir/server.log" >&2; exit 1
fi

export OOBE_TEST_POSTGRES="postgres://oobe@127.0.0.1:$port/postgres?sslmode=disable"
echo "== $("$bindir/postgres" --version) on 127.0.0.1:$port (OOBE_TEST_POSTGRES)"
"$@"
