#!/usr/bin/env bash
# The README's first command: the whole pipeline on embedded defaults (SQLite event log, local blob folder,
# PGlite, local outbox, all kept in .data/dev across runs) with demo data loaded into a new folder.
# Installs Node LTS + pnpm + dependencies when missing. `pnpm paywatch serve --data-dir DIR` is the same without the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile --reporter=silent
exec pnpm --silent paywatch dev "$@"
