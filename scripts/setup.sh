#!/usr/bin/env bash
# Installs everything Clift needs on a fresh machine that has Node 20+:
# pnpm (the pinned version, through npm), the workspace dependencies, the
# AArch64 tools from Debian (QEMU user mode, binutils, the C library and
# libgcc for linking; when running as root and they are missing), and
# builds every package (ISLE generation included) through turbo.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

need_apt=()
command -v qemu-aarch64-static >/dev/null 2>&1 || need_apt+=(qemu-user-static)
command -v aarch64-linux-gnu-ld >/dev/null 2>&1 || need_apt+=(binutils-aarch64-linux-gnu)
# The AArch64 C library and libgcc resolve libcalls (ceilf, __udivti3, …)
# when test programs are linked.
[ -f /usr/aarch64-linux-gnu/lib/libm.a ] || need_apt+=(libc6-dev-arm64-cross)
compgen -G '/usr/lib/gcc-cross/aarch64-linux-gnu/*/libgcc.a' >/dev/null || need_apt+=(libgcc-12-dev-arm64-cross)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_apt[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: warning: ${need_apt[*]} missing and not root; AArch64 execution tests will report it" >&2
  fi
fi

pnpm install --frozen-lockfile --reporter=append-only | tail -n 3
pnpm exec turbo run build --output-logs=errors-only
echo "setup: done"
