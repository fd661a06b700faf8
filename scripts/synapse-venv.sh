#!/usr/bin/env bash
# Installs the Synapse homeserver that the Matrix integration tests run as a
# test peer (Tests/ProfintCLITests/Synapse.swift) into a Python venv.
#
#   scripts/synapse-venv.sh            # venv in <repository>/.build-synapse/venv
#   PROFINT_SYNAPSE_VENV=/path scripts/synapse-venv.sh
#
# Idempotent: does nothing when the venv already has the pinned version.
# Needs Python 3.10 or newer with the venv module, and access to PyPI the
# first time (about 240 MB). Synapse is AGPL: it is only a test peer run from
# this venv, never linked into or shipped with profint.
# Progress goes to stderr; the last line of stdout is the venv path.
set -euo pipefail

SYNAPSE_VERSION="1.163.2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${PROFINT_SYNAPSE_VENV:-$root/.build-synapse/venv}"

installed() {
    [ -x "$venv/bin/python" ] &&
        "$venv/bin/python" - "$SYNAPSE_VERSION" >/dev/null 2>&1 <<'EOF'
import sys, importlib.metadata
import synapse  # noqa: F401  (the package itself must import, not only its metadata)
sys.exit(0 if importlib.metadata.version("matrix-synapse") == sys.argv[1] else 1)
EOF
}

if installed; then
    echo "$venv"
    exit 0
fi

mkdir -p "$(dirname "$venv")"
# Two test processes (or CI and a developer) may run this at once.
exec 9>"$venv.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi
if installed; then
    echo "$venv"
    exit 0
fi

# A Python 3.10+ to create the venv with.
python=""
for candidate in ${PROFINT_SYNAPSE_PYTHON:-} python3 python3.13 python3.12 python3.11 python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' >/dev/null 2>&1; then
        python="$candidate"
        break
    fi
done
if [ -z "$python" ]; then
    echo "synapse-venv.sh: no Python 3.10 or newer with the venv module found (set PROFINT_SYNAPSE_PYTHON," \
        "or install python3 and python3-venv)" >&2
    exit 1
fi

echo "synapse-venv.sh: installing matrix-synapse==$SYNAPSE_VERSION into $venv with $("$python" --version 2>&1)" >&2
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv" >&2
fi
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet "matrix-synapse==$SYNAPSE_VERSION" >&2

if ! installed; then
    echo "synapse-venv.sh: matrix-synapse==$SYNAPSE_VERSION was installed into $venv but does not import" >&2
    exit 1
fi
echo "$venv"
