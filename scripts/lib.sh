# Shared by the project's scripts: `source scripts/lib.sh` from the repository root.
say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# turbo prints a telemetry notice on its first run and would report usage; neither belongs in a build.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

# pnpm comes from corepack at the version pinned in package.json's packageManager. turbo runs
# package scripts through `pnpm`, so a shim on PATH points at corepack; nothing is installed globally.
ensure_pnpm() {
  command -v node >/dev/null || die "Node.js 20 or newer is required (node not found)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js 20 or newer is required (found $(node --version))"
  command -v corepack >/dev/null || die "corepack not found: it ships with Node.js 20; install it with 'npm i -g corepack'"
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  if ! corepack pnpm --version >/dev/null 2>&1; then
    # Some npm mirrors serve package metadata without registry signatures, which corepack refuses.
    say "corepack could not verify pnpm's signature with this registry; retrying without the signature check"
    export COREPACK_INTEGRITY_KEYS=0
    corepack pnpm --version >/dev/null || die "corepack could not fetch pnpm"
  fi
  local shim_dir="$PWD/.gitops-data/bin"
  mkdir -p "$shim_dir"
  printf '#!/bin/sh\nexec corepack pnpm "$@"\n' >"$shim_dir/pnpm"
  chmod +x "$shim_dir/pnpm"
  export PATH="$shim_dir:$PATH"
}
