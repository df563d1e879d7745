# `nix develop` for a Rust bootstrap: the toolchain plus what x.py and cargo build
# scripts call. HOME and CARGO_HOME point at a fresh directory so nothing from the
# user's home (rustup, ~/.cargo/config.toml, credentials) leaks in.
{ pkgs, toolchain }:
pkgs.mkShell {
  name = "rust-bootstrap-nix";
  packages = [
    toolchain
    pkgs.python3
    pkgs.git
    pkgs.curl
    pkgs.which
    pkgs.sccache
    pkgs.cmake
    pkgs.ninja
    pkgs.pkg-config
    pkgs.binutils
  ];
  shellHook = ''
    export HOME="$(mktemp -d "''${TMPDIR:-/tmp}/rust-bootstrap-nix-home.XXXXXX")"
    export CARGO_HOME="$HOME/.cargo"
    mkdir -p "$CARGO_HOME"
  '';
}
