#!/usr/bin/env bash
# Installs everything the example and the tests need on a fresh Debian
# machine (as root): Nix, sccache, the crate sources the fixture builds
# from, a real rust-lang/rust tree with its stage0 (scripts/fetch-rust-tree.sh),
# and the npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  nix-bin sccache zstd tar git util-linux unzip jq python3
  # Debian's LLVM 19, as Debian's own rustc 1.85 is built with: the x.py test of rustc_llvm.
  llvm-19-dev llvm-19-tools
  # A real sshd on 127.0.0.1 as a Nix remote builder (test/remote-builders.test.ts).
  openssh-server
  # The fixture workspace builds real crates from Debian's sources (/usr/share/cargo/registry).
  librust-serde-dev librust-serde-derive-dev librust-serde-json-dev librust-thiserror-dev
  librust-anyhow-dev librust-typenum-dev librust-generic-array-dev librust-rayon-dev
  librust-paste-dev librust-rustversion-dev librust-num-traits-dev librust-semver-dev
  librust-indexmap-dev librust-log-dev librust-memchr-dev librust-itertools-dev librust-libc-dev
  librust-crossbeam-utils-dev librust-lazy-static-dev librust-regex-dev
  librust-proc-macro2-dev librust-quote-dev librust-syn-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: cargo/rustc are needed on PATH (the machine image provides them)" >&2; exit 1; }
# The x.py tests' rust-lang/rust tree (Debian's rustc-web 1.85 source) and Debian's 1.85 as its stage0.
bash scripts/fetch-rust-tree.sh >/dev/null
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
