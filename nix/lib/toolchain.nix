# Picks the toolchain a selection (lib/spec.nix) names from rust-overlay's `rust-bin`
# (https://github.com/oxalica/rust-overlay/blob/master/docs/reference.md):
#   rust-bin.<set>.<version or date or "latest">.<profile>.override { extensions; targets; }
{ rust-bin, selection }:
let
  inherit (builtins)
    attrNames
    compareVersions
    filter
    foldl'
    stringLength
    substring
    ;
  inherit (selection) set profile;

  available = rust-bin.${set};

  newestOf =
    minor:
    let
      prefix = "${minor}.";
      matching = filter (v: substring 0 (stringLength prefix) v == prefix) (attrNames available);
    in
    if matching == [ ] then
      throw "rust-bootstrap-nix: the pinned rust-overlay has no stable ${minor}.x; pick another version or update nix/flake.lock"
    else
      foldl' (a: b: if a == null || compareVersions b a > 0 then b else a) null matching;

  key = if selection.key != null then selection.key else newestOf selection.minor;

  toolchainSet =
    available.${key}
      or (throw "rust-bootstrap-nix: the pinned rust-overlay has no ${set} toolchain `${key}`; pick another one or update nix/flake.lock");

  # Very old stable releases predate rustup profiles; their only aggregate is `rust`.
  base =
    toolchainSet.${profile}
      or (if profile == "default" && toolchainSet ? rust then toolchainSet.rust else null);
in
if base == null then
  throw "rust-bootstrap-nix: ${set} `${key}` has no profile `${profile}` on this system"
else
  base.override {
    extensions = selection.components;
    inherit (selection) targets;
  }
  // {
    # What was chosen, for logs and tests.
    rustBootstrapNix = selection // {
      inherit key;
    };
  }
