#!/usr/bin/env bash
# Webhook benchmark for docs/BENCHMARKS.md: throughput of POST /telegram/webhook
# against GET /healthz in the same run, how fast the acknowledged updates are
# then turned into replies, latency at a fixed ~500 updates/s, and the
# service's RSS over a long run. Loopback only; needs `wrk` (apt-get install wrk).
# usage: scripts/bench_webhook.sh [seconds-for-the-rss-run, default 300]
# RSS_ONLY=1 runs the RSS phase alone; RSS_CONNECTIONS (5) and RSS_DELAY_MS (20)
# set its rate (5 connections, 20 ms apart: ~250 updates/s; 1 and 40: ~25/s,
# about what the outbox can send at Telegram's 30 messages/s).
set -euo pipefail
cd "$(dirname "$0")/.."
RSS_SECONDS=${1:-300}
PORT=${PROFINT_BENCH_PORT:-18181}
swift build -c release --product profint --scratch-path .build-bench >/dev/null
BIN=.build-bench/release/profint
WORK=$(mktemp -d)
SPEC=Tests/Fixtures/telegram/api.json
python3 Tests/Fixtures/fake_bot_api.py --spec "$SPEC" --token 123:bench --port 0 > "$WORK/fake.out" 2>/dev/null &
FAKE=$!
trap 'kill $SERVE $FAKE 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 1
FAKE_PORT=$(awk '{print $2}' "$WORK/fake.out")
export PROFINT_TELEGRAM_TOKEN=123:bench PROFINT_TELEGRAM_SECRET=bench-secret PROFINT_TELEGRAM_BOT_USERNAME=profint_test_bot
export PROFINT_TELEGRAM_API_URL=http://127.0.0.1:$FAKE_PORT PROFINT_HTTP_PORT=$PORT PROFINT_DATABASE=$WORK/bench.sqlite
"$BIN" serve --log-level warning > "$WORK/serve.log" 2>&1 &
SERVE=$!
for _ in $(seq 100); do curl -sf localhost:$PORT/readyz >/dev/null && break; sleep 0.1; done
kill -0 $SERVE || { echo "the service did not start:"; cat "$WORK/serve.log"; exit 1; }
URL=http://127.0.0.1:$PORT
metric() { curl -s $URL/metrics | awk -v name="$1" '$1 == name {print $2}'; }
cpu() { awk '{print $14 + $15}' /proc/$SERVE/stat; }

if [ -z "${RSS_ONLY:-}" ]; then
# 20 connections, then 40 (Telegram's default max_connections for a webhook).
T0=$(date +%s.%N)
BASE=0
for CONNECTIONS in 20 40; do
  echo "== GET /healthz (2 threads, $CONNECTIONS connections, 20 s)"
  C0=$(cpu)
  wrk -t2 -c$CONNECTIONS -d20s --latency $URL/healthz | grep -E "Requests/sec|99%|Non-2xx|Socket errors" || true
  echo "service CPU: $(( $(cpu) - C0 )) ticks of 100/s"
  echo "== POST /telegram/webhook, as fast as possible (2 threads, $CONNECTIONS connections, 20 s)"
  C0=$(cpu)
  WRK_UPDATE_BASE=$BASE wrk -t2 -c$CONNECTIONS -d20s --latency -s scripts/webhook_updates.lua $URL | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
  echo "service CPU: $(( $(cpu) - C0 )) ticks of 100/s"
  echo "acknowledged so far: $(metric 'profint_telegram_updates_total{result="accepted"}'), waiting in the inbox: $(metric profint_telegram_inbox_depth)"
  BASE=300000000
done
while [ "$(metric profint_telegram_inbox_depth)" != "0" ]; do sleep 0.5; done
T1=$(date +%s.%N)
PROCESSED=$(metric 'profint_messages_total{channel="telegram"}')
echo "all processed: $PROCESSED updates turned into replies $(echo "$T1 - $T0" | bc) s after the first load began ($(echo "$PROCESSED / ($T1 - $T0)" | bc) per second, bursts included)"

echo "== POST /telegram/webhook at about 500 updates/s (10 connections, 20 ms apart, 20 s)"
D0=$(metric profint_reply_delay_seconds_count); S0=$(metric profint_reply_delay_seconds_sum)
B0=$(metric 'profint_reply_delay_seconds_bucket{le="0.01"}'); B1=$(metric 'profint_reply_delay_seconds_bucket{le="0.05"}')
WRK_UPDATE_BASE=700000000 WRK_POOL=20000 WRK_DELAY_MS=20 wrk -t2 -c10 -d20s --latency -s scripts/webhook_updates.lua $URL | grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors" || true
while [ "$(metric profint_telegram_inbox_depth)" != "0" ]; do sleep 0.5; done
D=$(echo "$(metric profint_reply_delay_seconds_count) - $D0" | bc)
echo "acknowledgement to replies queued: $D updates, mean $(echo "scale=2; 1000 * ($(metric profint_reply_delay_seconds_sum) - $S0) / $D" | bc) ms," \
     "$(echo "scale=1; 100 * ($(metric 'profint_reply_delay_seconds_bucket{le="0.01"}') - $B0) / $D" | bc) % within 10 ms," \
     "$(echo "scale=1; 100 * ($(metric 'profint_reply_delay_seconds_bucket{le="0.05"}') - $B1) / $D" | bc) % within 50 ms"

echo "== engine (matching) and knowledge time per update in the runs above, cumulative buckets"
curl -s $URL/metrics | grep -E "^profint_(engine|knowledge)_seconds_(bucket|count|sum)"

fi

RSS_CONNECTIONS=${RSS_CONNECTIONS:-5}
RSS_DELAY_MS=${RSS_DELAY_MS:-20}
echo "== RSS of a fresh service during $RSS_SECONDS s, $RSS_CONNECTIONS connections $RSS_DELAY_MS ms apart (first sample after 30 s of warm-up)"
kill $SERVE; wait $SERVE 2>/dev/null || true
rm -f "$WORK"/bench.sqlite*
"$BIN" serve --log-level warning > "$WORK/serve.log" 2>&1 &
SERVE=$!
for _ in $(seq 100); do curl -sf localhost:$PORT/readyz >/dev/null && break; sleep 0.1; done
WRK_UPDATE_BASE=1000000000 WRK_POOL=$(( (RSS_SECONDS + 30) * 300 )) WRK_DELAY_MS=$RSS_DELAY_MS wrk -t1 -c$RSS_CONNECTIONS -d$((RSS_SECONDS + 30))s -s scripts/webhook_updates.lua $URL > "$WORK/rss-wrk.txt" &
WRK=$!
sleep 30
for i in $(seq 0 30 "$RSS_SECONDS"); do
  # RssAnon is the heap; RssFile mostly the memory-mapped SQLite file, which grows with the outbox
  # (replies leave at Telegram's 30/s while 250 updates/s arrive).
  echo "t=${i}s $(awk '/^(VmRSS|RssAnon|RssFile)/ {printf "%s %s kB  ", $1, $2}' /proc/$SERVE/status)outbox $(metric profint_outbox_depth)"
  if [ "$i" -lt "$RSS_SECONDS" ]; then sleep 30; fi
done
wait $WRK || true
grep -E "Requests/sec|Non-2xx|Socket errors" "$WORK/rss-wrk.txt" || true
echo "outbox depth: $(metric profint_outbox_depth), inbox depth: $(metric profint_telegram_inbox_depth)"
