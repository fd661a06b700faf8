#!/bin/bash
# usage: scripts/idle-cpu.sh [BINARY]  — CPU used by an idle `profint serve` over 30 s
# (docs/BENCHMARKS.md). The Telegram settings point at a closed port: no traffic.
BIN=${1:-.build/debug/profint}; D=$(mktemp -d)
PROFINT_TELEGRAM_TOKEN=123:abc PROFINT_TELEGRAM_SECRET=s3cret PROFINT_TELEGRAM_API_URL=http://127.0.0.1:9/ $BIN serve --port 18099 --database $D/p.db --log-level error > $D/log 2>&1 &
PID=$!
sleep 12   # load and index
read -r u1 s1 < <(awk '{print $14, $15}' /proc/$PID/stat)
sleep 30
read -r u2 s2 < <(awk '{print $14, $15}' /proc/$PID/stat)
T=$(getconf CLK_TCK)
echo "idle CPU over 30 s: $(( (u2-u1+s2-s1) ))/$T s = $(python3 -c "print(round(100*($u2-$u1+$s2-$s1)/$T/30,2))") %"
kill $PID; wait $PID 2>/dev/null; tail -3 $D/log
