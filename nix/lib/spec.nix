# Normalises a toolchain spec into what to pick from rust-overlay's `rust-bin`.
#
#   spec = {
#     channel ? "stable";   # stable | beta | nightly | X.Y.Z | X.Y (newest X.Y.*)
#                           # | nightly-YYYY-MM-DD | beta-YYYY-MM-DD
#     profile ? "default";  # minimal | default | complete (rustup profiles)
#     components ? [ ];     # rust-overlay extensions, e.g. "rust-src"
#     targets ? [ ];        # extra rust-std targets
#     toolchainFile ? null; # a rust-toolchain / rust-toolchain.toml (rustup's format):
#                           # its channel, profile, components and targets are used and the
#                           # spec's components and targets are added to them
#   };
{ spec }:
let
  inherit (builtins)
    elem
    elemAt
    foldl'
    fromTOML
    match
    readFile
    ;

  unique = foldl' (acc: x: if elem x acc then acc else acc ++ [ x ]) [ ];

  file =
    if (spec.toolchainFile or null) == null then
      { }
    else
      let
        content = readFile spec.toolchainFile;
        # The legacy format is a single word: the channel.
        legacy = match "[[:space:]]*([^[:space:]]+)[[:space:]]*" content;
        toml = fromTOML content;
      in
      if legacy != null then
        { channel = elemAt legacy 0; }
      else if (toml.toolchain.path or null) != null then
        throw "rust-bootstrap-nix: `path` in ${toString spec.toolchainFile} is not supported; use `toolchain: system` for a local toolchain"
      else
        toml.toolchain
          or (throw "rust-bootstrap-nix: ${toString spec.toolchainFile} has no [toolchain] table");

  channel = if file ? channel then file.channel else spec.channel or "stable";
  profile = spec.profile or file.profile or "default";
  components = unique ((file.components or [ ]) ++ (spec.components or [ ]));
  targets = unique ((file.targets or [ ]) ++ (spec.targets or [ ]));

  date = "([0-9]{4}-[0-9]{2}-[0-9]{2})";
  dated = prefix: match "${prefix}-${date}" channel;

  picked =
    if elem channel [
      "stable"
      "beta"
      "nightly"
    ] then
      {
        set = channel;
        key = "latest";
        minor = null;
      }
    else if match "[0-9]+\\.[0-9]+\\.[0-9]+" channel != null then
      {
        set = "stable";
        key = channel;
        minor = null;
      }
    else if match "[0-9]+\\.[0-9]+" channel != null then
      {
        set = "stable";
        key = null; # the newest patch release of that minor version, as rustup does
        minor = channel;
      }
    else if dated "nightly" != null then
      {
        set = "nightly";
        key = elemAt (dated "nightly") 0;
        minor = null;
      }
    else if dated "beta" != null then
      {
        set = "beta";
        key = elemAt (dated "beta") 0;
        minor = null;
      }
    else
      throw "rust-bootstrap-nix: unknown toolchain channel `${channel}`; expected stable, beta, nightly, X.Y.Z, X.Y, nightly-YYYY-MM-DD or beta-YYYY-MM-DD";
in
{
  inherit
    channel
    profile
    components
    targets
    ;
  inherit (picked) set key minor;
}
