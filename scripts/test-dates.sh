#!/usr/bin/env bash
# Runs the whole test suite as if today were a year ahead and a year behind
# (libfaketime, built below without its timer faking), then in two far-apart time
# zones, so that no test depends on the date, the time zone or the machine's
# locale. Builds once, normally, then runs the built tests each way.
#   scripts/test-dates.sh            all four runs
#   scripts/test-dates.sh +365d      one offset only
set -euo pipefail
cd "$(dirname "$0")/.."

# libfaketime, built here: Debian's package (0.9.10) is compiled with
# FAKE_TIMERS, which rewrites timerfd deadlines, and then libdispatch's timers
# never fire (a 200 ms `Task.sleep` or `DispatchQueue.asyncAfter` hangs under
# `faketime -f +365d`, with or without FAKETIME_DONT_FAKE_MONOTONIC): every
# test that sleeps hung. The same library without FAKE_TIMERS (and without
# FAKE_SLEEP, which shortened a test's 7 s lock holder) fakes the date and
# leaves timers and sleeps alone. Its source comes from python-libfaketime (GPLv2),
# which vendors it; built once under .build-faketime/.
# Debian's `faketime` wrapper still starts each run (it sets up the shared
# clock the processes of a run agree on; preloading the library without it
# crashes the swift driver), then `env` puts this library in its place.
if ! command -v faketime >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends faketime
fi
lib=.build-faketime/libfaketime.so.1
if [ ! -f "$lib" ]; then
    if ! command -v make >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make gcc libc6-dev
    fi
    rm -rf .build-faketime
    python3 -m pip install --quiet --no-deps --target .build-faketime/pip 'libfaketime==3.0.1'
    cp -r .build-faketime/pip/libfaketime/vendor/libfaketime/src .build-faketime/src
    sed -i 's/ -DFAKE_TIMERS//; s/ -DFAKE_SLEEP//' .build-faketime/src/Makefile
    make -s -C .build-faketime/src libfaketime.so.1
    cp .build-faketime/src/libfaketime.so.1 "$lib"
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
    run "faketime $offset" faketime -f "$offset" env LD_PRELOAD="$PWD/$lib"
done
if [ $# -eq 0 ]; then
    run "TZ=Pacific/Kiritimati" env TZ=Pacific/Kiritimati LANG=C.UTF-8
    run "TZ=America/Los_Angeles" env TZ=America/Los_Angeles LANG=C
fi
exit $status
