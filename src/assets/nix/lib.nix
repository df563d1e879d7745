# rust-bootstrap-nix: how a generated step becomes a derivation. `tools`
# is the one set of things steps run with: offline the host's bash and cc
# with a system toolchain added to the store; online the pinned nixpkgs and
# a rust-overlay toolchain. The generated attributes are the same for both:
# the step format (src/nix/step-format.ts), handed to step-runner.sh as
# structured attributes.
{ system, tools }:
let
  runner = builtins.path { path = ./step-runner.sh; name = "rbn-step-runner.sh"; };
  derive = name: attrs: derivation ({
    inherit name system;
    builder = tools.bash;
    args = [ "-e" runner ];
    __structuredAttrs = true;
    toolPath = tools.path;
    toolchain = tools.toolchain;
  } // tools.extraAttrs // attrs);
in
{
  mkStep = id: attrs: derive "rbn-${id}" attrs;

  # The final artifacts at the relative paths the build wrote them, and every
  # step referenced, so that building this builds the whole plan.
  mkAll = steps: attrs: derive "rbn-result" ({
    kind = "result";
    steps = builtins.attrValues steps;
  } // attrs);

  # sha256: the file's NAR hash (src/nix/nar.ts), so a source already in the
  # store is found by its path alone, neither read nor added again.
  src = rel: name: sha256: builtins.path { path = ./sources + "/${rel}"; inherit name sha256; };
}
