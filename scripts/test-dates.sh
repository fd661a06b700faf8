#!/usr/bin/env bash
# Runs the whole test suite as if today were a year ahead and a year behind
# (libfaketime, Debian's `faketime` package), then in two far-apart time
# zones, so that no test depends on the date, the time zone or the machine's
# locale. Builds once, normally, then runs the built tests each way.
#   scripts/test-dates.sh            all four runs
#   scripts/test-dates.sh +365d      one offset only
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends faketime
fi
scripts/synapse-venv.sh >/dev/null
swift build --build-tests

# Only the wall clock moves: timers and timeouts keep the real monotonic clock.
export FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_DONT_RESET=1
status=0
run() {
    echo "== $1"
    if ! timeout 1800 "${@:2}" swift test --skip-build; then
        echo "FAILED: $1"
        status=1
    fi
}
offsets=("${@:-+365d -365d}")
for offset in ${offsets[@]}; do
    run "faketime $offset" faketime -f "$offset"
done
if [ $# -eq 0 ]; then
    run "TZ=Pacific/Kiritimati" env TZ=Pacific/Kiritimati LANG=C.UTF-8
    run "TZ=America/Los_Angeles" env TZ=America/Los_Angeles LANG=C
fi
exit $status
