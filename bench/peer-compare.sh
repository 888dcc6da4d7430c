#!/usr/bin/env bash
# Side-by-side comparison with Postfix + Dovecot (../shared/bench): starts Mailroom on the ports of
# bench/ours.env with a fresh data directory, creates bench1..4@bench.test, starts the peers, and
# runs run-suite.sh peer ours. Arguments go to run-suite.sh (e.g. -r 1 -t "smtp_c8 ops conc8").
# Stops our server afterwards; the peers keep running (../shared/bench/peers/stop.sh stops them).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=../shared/bench
mkdir -p /tmp/ours-run
rm -rf /tmp/ours-data
node scripts/build-if-needed.mjs
MAILROOM_DATA_DIR=/tmp/ours-data MAILROOM_HOST=127.0.0.1 MAILROOM_DOMAIN=bench.test MAILROOM_ADMIN_PASSWORD=Bench-admin-1 \
  MAILROOM_SMTP_PORT=12025 MAILROOM_SUBMISSION_PORT=12587 MAILROOM_IMAP_PORT=12143 MAILROOM_IMAPS_PORT=0 \
  MAILROOM_HTTP_PORT=18090 MAILROOM_LOG_LEVEL=warn node bin/mailroom.js serve > /tmp/ours-run/server.log 2>&1 &
echo $! > /tmp/ours-run/server.pid
trap 'kill "$(cat /tmp/ours-run/server.pid)" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18090/healthz >/dev/null && break; sleep 0.2; done
for n in 1 2 3 4; do
  curl -fs -u admin@bench.test:Bench-admin-1 -H 'content-type: application/json' \
    -d "{\"address\":\"bench$n@bench.test\",\"displayName\":\"Bench $n\",\"password\":\"benchpw$n\"}" \
    http://127.0.0.1:18090/api/v1/users >/dev/null
done
"$BENCH/peers/start.sh"
"$BENCH/run-suite.sh" "$@" peer "$PWD/bench/ours.env"
