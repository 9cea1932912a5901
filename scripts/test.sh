#!/usr/bin/env bash
# The README's test command: installs what it needs (Debian packages, Node LTS + pnpm from the npm
# registry, dependencies), builds the Kafka-protocol test peer, then runs every test. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
T0=$EPOCHREALTIME; t() { awk -v a="$T0" -v b="$EPOCHREALTIME" -v m="$*" 'BEGIN { printf "[test %6.1fs] %s\n", b - a, m }'; }
bash scripts/ensure-apt.sh > .cache/apt.log 2>&1 & APT_PID=$!
source scripts/toolchain.sh;                          t "toolchain"
pnpm install --frozen-lockfile --reporter=silent;     t "pnpm install"
wait "$APT_PID" || { cat .cache/apt.log; exit 1; };   t "Debian packages"
bash scripts/build-kafka-mock.sh;                     t "kafka-mock built"
pnpm typecheck;                                       t "typecheck"
status=0
pnpm vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest.json "$@" || status=$?
t "tests"
# A closing line any CI reader understands, from vitest's own JSON report.
node -e 'const r=require("./.cache/vitest.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests+r.numTodoTests} skipped`)' || true
exit $status
