#!/usr/bin/env bash
# Runs `npm test` with the clock moved, to prove that no test depends on today's date.
#
#   bash tools/clock/test-shifted.sh +365d     one year ahead
#   bash tools/clock/test-shifted.sh -365d     one year back
#   bash tools/clock/test-shifted.sh +365d --only-int -- gateway/src/system   (arguments go to tools/test.mjs)
#
# Everything the tests touch runs on the moved clock, so that the node processes, the
# database's now() agree the way they do on a real machine:
# - a private PostgreSQL cluster (Debian's binaries) started under faketime on its own port;
# - `npm test` under faketime, with a Kafka broker of its own (its own port).
# Kafka brokers are the one exception (FAKETIME_SKIP_CMDS=java: the runner's broker and the
# private ones the fault tests start): a JVM under libfaketime is not a working broker (KRaft
# metadata requests fail with "This server does not host this topic-partition"). No rule of
# the project reads the broker's clock: events carry their own occurredAt, set by the service.
# The broker stamps messages with its own clock (LogAppendTime), or its 14-day retention would
# delete messages a producer a year behind stamped a year old.
# Needs Debian's `faketime` and PostgreSQL server binaries (both on these machines' kind:
# `apt-get install faketime`). Nothing outside .cache/clock-<offset> is touched.
set -euo pipefail
cd "$(dirname "$0")/../.."

offset=${1:?usage: test-shifted.sh OFFSET (+365d, -365d) [test.mjs arguments]}
shift
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)" >&2; exit 2; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/pg_ctl" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 2; }

slug=$(printf '%s' "$offset" | sed 's/^+/plus/; s/^-/minus/' | tr -c 'a-zA-Z0-9' '_')
dir="$PWD/.cache/clock-$slug"
pgdata="$dir/pg"
pgport=${CLOCK_PG_PORT:-55432}
kafkaport=${CLOCK_KAFKA_PORT:-19392}
# libfaketime: the offset applies to the wall clock only; timers keep real time
export FAKETIME_DONT_FAKE_MONOTONIC=1
export FAKETIME_SKIP_CMDS=java
fake=(faketime -f "$offset")

as_pg=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user
  as_pg=(runuser -u postgres --)
fi

if "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport"; then
  echo "something already answers on 127.0.0.1:$pgport (an earlier run?); set CLOCK_PG_PORT" >&2
  exit 1
fi
rm -rf "$pgdata"
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
# postgres itself runs under faketime, not pg_ctl start: pg_ctl's wait compares postmaster.pid's
# start time with its own and never sees the server come up when the two clocks differ
"${as_pg[@]}" "${fake[@]}" "$pgbin/postgres" -D "$pgdata" -p "$pgport" -k "$dir" \
  -c listen_addresses=127.0.0.1 >"$dir/pg.log" 2>&1 &
# pg_ctl stop reads postmaster.pid: it stops the server, not only the wrappers started above
stop_pg() { "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop_pg EXIT
for _ in $(seq 1 100); do
  "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport" && break
  sleep 0.2
done
"$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport" || { cat "$dir/pg.log" >&2; exit 1; }

echo "[clock] wall clock $(date -u +%FT%TZ); tests run at $("${fake[@]}" date -u +%FT%TZ) (offset $offset)"
echo "[clock] PostgreSQL on the moved clock: $(psql -h 127.0.0.1 -p "$pgport" -U postgres -Atc 'select now()')"

DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/postgres" KAFKA_PORT=$kafkaport \
  KAFKA_BROKER_PROPERTIES=log.message.timestamp.type=LogAppendTime \
  "${fake[@]}" node tools/test.mjs "$@"
