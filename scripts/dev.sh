#!/usr/bin/env bash
# The README's first command: the whole pipeline on embedded defaults (in-process event log, local blob
# folder, PGlite, local outbox) with demo data. Installs Node LTS + pnpm + dependencies when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile --reporter=silent
exec pnpm --silent paywatch dev "$@"
