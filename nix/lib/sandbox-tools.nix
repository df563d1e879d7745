# The tools a generated step derivation may run online (in the sandbox) besides the
# toolchain: a shell, the POSIX basics cargo build scripts expect, and a C toolchain.
{ pkgs }:
{
  inherit (pkgs)
    bash
    coreutils
    findutils
    diffutils
    gnused
    gnugrep
    gawk
    gnutar
    gzip
    xz
    bzip2
    gnumake
    which
    patchelf
    ;
  cc = pkgs.stdenv.cc;
  # ld, ar, strip; the cc wrapper only propagates them.
  bintools = pkgs.stdenv.cc.bintools;
  pkg-config = pkgs.pkg-config;
}
