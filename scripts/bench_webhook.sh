#!/usr/bin/env bash
# Webhook benchmark for docs/BENCHMARKS.md: throughput of POST /telegram/webhook
# against GET /healthz in the same run, latency at a fixed ~500 updates/s, and
# the service's RSS over a long run. Loopback only; needs `wrk` (apt-get install wrk).
# usage: scripts/bench_webhook.sh [seconds-for-the-rss-run, default 300]
set -euo pipefail
cd "$(dirname "$0")/.."
RSS_SECONDS=${1:-300}
swift build -c release --product profint --scratch-path .build-bench >/dev/null
BIN=.build-bench/release/profint
WORK=$(mktemp -d)
SPEC=../shared/telegram/api.json
python3 Tests/Fixtures/fake_bot_api.py --spec "$SPEC" --token 123:bench --port 0 > "$WORK/fake.out" 2>/dev/null &
FAKE=$!
trap 'kill $SERVE $FAKE 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 1
FAKE_PORT=$(awk '{print $2}' "$WORK/fake.out")
export PROFINT_TELEGRAM_TOKEN=123:bench PROFINT_TELEGRAM_SECRET=bench-secret PROFINT_TELEGRAM_BOT_USERNAME=profint_test_bot
export PROFINT_TELEGRAM_API_URL=http://127.0.0.1:$FAKE_PORT PROFINT_HTTP_PORT=18181 PROFINT_DATABASE=$WORK/bench.sqlite
"$BIN" serve --log-level warning > "$WORK/serve.log" 2>&1 &
SERVE=$!
for _ in $(seq 100); do curl -sf localhost:18181/readyz >/dev/null && break; sleep 0.1; done
echo "== GET /healthz (2 threads, 20 connections, 20 s)"
wrk -t2 -c20 -d20s --latency http://127.0.0.1:18181/healthz | grep -E "Requests/sec|99%|Non-2xx|Socket errors" || true
echo "== POST /telegram/webhook, as fast as possible (2 threads, 20 connections, 20 s)"
wrk -t2 -c20 -d20s --latency -s scripts/webhook_updates.lua http://127.0.0.1:18181 | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
echo "== POST /telegram/webhook at about 500 updates/s (10 connections, 20 ms apart, 20 s)"
WRK_DELAY_MS=20 wrk -t2 -c10 -d20s --latency -s scripts/webhook_updates.lua http://127.0.0.1:18181 | grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors" || true
echo "== RSS during $RSS_SECONDS s at about 250 updates/s"
WRK_DELAY_MS=20 wrk -t1 -c5 -d${RSS_SECONDS}s -s scripts/webhook_updates.lua http://127.0.0.1:18181 > "$WORK/rss-wrk.txt" &
WRK=$!
for i in $(seq 0 30 "$RSS_SECONDS"); do
  echo "t=${i}s rss=$(awk '/VmRSS/ {print $2}' /proc/$SERVE/status) kB"
  sleep 30
done
wait $WRK || true
grep -E "Requests/sec|Non-2xx|Socket errors" "$WORK/rss-wrk.txt" || true
echo "outbox depth: $(curl -s localhost:18181/metrics | awk '/^profint_outbox_depth/ {print $2}')"
echo "== engine (matching) and knowledge (SQLite) time per update, cumulative buckets"
curl -s localhost:18181/metrics | grep -E "^profint_(engine|knowledge)_seconds_(bucket|count|sum)"
