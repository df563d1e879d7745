#!/usr/bin/env bash
# Fetches a real rust-lang/rust tree (Debian's rustc-web 1.85 source package,
# with vendor/) and installs Debian's binary of the same version as its
# stage0. Prints the tree's path. Safe to run again: a finished tree is kept.
#
#   bash scripts/fetch-rust-tree.sh [dest]   (default $RBN_RUST_TREE, else
#   /var/cache/rust-bootstrap-nix/rustc-1.85)
#
# The tree is prepared as debian/rules prepares it: Debian's patches applied,
# the extra vendored crates added, checksums pruned, lzma-sys linked to the
# system liblzma, and a git repository (bootstrap wants .git or submodules).
set -euo pipefail

version=1.85.0+dfsg3-1~deb12u3
dest=${1:-${RBN_RUST_TREE:-/var/cache/rust-bootstrap-nix/rustc-1.85}}
if [ -f "$dest/.rbn-ready" ]; then
  echo "$dest"
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
say() { echo "fetch-rust-tree: $*" >&2; }

# Stage0: Debian's rustc and cargo of the same version (apt swaps out Debian's
# rustc/cargo packages if installed; a rustup toolchain is untouched).
if [ "$(dpkg-query -W -f='${Version}' rustc-web 2>/dev/null || true)" != "$version" ] ||
  [ "$(dpkg-query -W -f='${Version}' cargo-web 2>/dev/null || true)" != "$version" ]; then
  say "installing rustc-web and cargo-web $version (stage0)"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --allow-downgrades \
    "rustc-web=$version" "cargo-web=$version" "libstd-rust-web-dev=$version" \
    "libstd-rust-web-1.85=$version" patch xz-utils >/dev/null
fi

# Source: a deb-src entry for the same mirror and suite the machine's own
# entry names, then only the tarballs the tree needs (not the 880 MB
# orig-stage0 one that `apt-get source` would also fetch).
if ! apt-get source --print-uris "rustc-web=$version" 2>/dev/null | grep -q "orig.tar"; then
  uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  [ -n "$uri" ] || uri=$(sed -n 's/^deb \(http[^ ]*\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
  [ -n "$uri" ] || { say "no Debian mirror found in /etc/apt to add a deb-src entry for"; exit 1; }
  say "adding deb-src for $uri bookworm main"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" |
    "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/rust-bootstrap-nix-src.sources >/dev/null
  "${sudo_cmd[@]}" apt-get update -qq
fi
downloads=$(dirname "$dest")/downloads
mkdir -p "$downloads"
# Each line: 'URI' name size ALGO:hash (apt prints the strongest hash it has).
apt-get source --print-uris "rustc-web=$version" | grep "^'" | while read -r u name size hash; do
  u=${u//\'/}
  case "$name" in *orig-stage0*) continue ;; esac
  sum=$(echo "${hash%%:*}" | tr 'A-Z' 'a-z')sum # md5sum, sha256sum, ...
  want=${hash#*:}
  if [ ! -f "$downloads/$name" ] || [ "$("$sum" < "$downloads/$name" | cut -d' ' -f1)" != "$want" ]; then
    say "downloading $name ($((size / 1048576)) MB)"
    curl -fsSL --retry 3 -o "$downloads/$name.part" "$u"
    [ "$("$sum" < "$downloads/$name.part" | cut -d' ' -f1)" = "$want" ] || {
      say "$name: ${hash%%:*} mismatch"
      exit 1
    }
    mv "$downloads/$name.part" "$downloads/$name"
  fi
done

say "unpacking into $dest"
rm -rf "$dest.part"
mkdir -p "$dest.part"
cd "$dest.part"
tar -xf "$(ls "$downloads"/rustc-web_*.orig.tar.* | head -1)" --strip-components=1
for t in "$downloads"/rustc-web_*.orig-extra.tar.*; do
  [ -e "$t" ] && tar -xf "$t"
done
tar -xf "$(ls "$downloads"/rustc-web_*.debian.tar.* | head -1)"
say "applying debian/patches"
while read -r p _; do
  case "$p" in '' | '#'*) continue ;; esac
  patch -p1 -s -N < "debian/patches/$p"
done < debian/patches/series
# As debian/rules does.
if [ -d extra-vendor ]; then
  cp -a extra-vendor/* vendor/
fi
for d in . src/bootstrap library src/tools/*; do
  [ -f "$d/Cargo.lock" ] && mv "$d/Cargo.lock" "$d/Cargo.lock.orig"
done
for c in vendor/*/.cargo-checksum.json; do
  debian/prune-checksums "$c"
done
for d in vendor/lzma-sys*; do
  [ -d "$d" ] && echo 'fn main() { println!("cargo:rustc-link-lib=lzma"); }' > "$d/build.rs"
done
git init -q
cd - >/dev/null
rm -rf "$dest"
mv "$dest.part" "$dest"
touch "$dest/.rbn-ready"
echo "$dest"
