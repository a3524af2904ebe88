#!/usr/bin/env bash
# Install everything netmap's tests need on a fresh Debian machine, then run the whole suite:
# Python packages in .venv, Debian's chromium for the browser tests, Neo4j 5.26 from Maven Central
# for the database tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing Debian's chromium (browser tests)"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium >/dev/null
fi

echo "== installing netmap and its test tools into .venv"
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'

echo "== fetching Neo4j 5.26 (Maven Central)"
.venv/bin/python tests/neo4j_server/server.py fetch

echo "== ruff"
.venv/bin/ruff check .

echo "== tests"
# Real-service tests (Neo4j, chromium) must run: when they cannot, the suite fails instead of skipping.
export NETMAP_REQUIRE_SERVICES=1
.venv/bin/python -m pytest "$@"
