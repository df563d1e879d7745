# rust-bootstrap-nix: how a generated step becomes a derivation. `tools`
# is the one set of things steps run with: offline the host's bash and cc
# with a system toolchain added to the store; online the pinned nixpkgs and
# a rust-overlay toolchain. The generated attributes are the same for both.
{ system, tools }:
let
  runner = builtins.path { path = ./step-runner.sh; name = "rbn-step-runner.sh"; };
in
{
  mkStep = id: deps: libDeps: attrs: derivation ({
    name = "rbn-${id}";
    inherit system;
    builder = tools.bash;
    args = [ "-e" runner ];
    rbnPath = tools.path;
    rbnToolchain = tools.toolchain;
    rbnDeps = deps;
    rbnLibDeps = libDeps;
  } // tools.extraAttrs // attrs);

  # The final artifacts at the relative paths the build wrote them, and every
  # step referenced, so that building this builds the whole plan.
  mkAll = steps: attrs: derivation ({
    name = "rbn-result";
    inherit system;
    builder = tools.bash;
    args = [ "-e" "-c" ''
      export PATH=$rbnPath
      mkdir -p $out/nix-support
      for s in $rbnSteps; do echo "$s" >> $out/nix-support/steps; done
      for ((i = 0; i < ''${rbnArtDirN:-0}; i++)); do
        dir_var="rbnArtDir$i"
        mkdir -p "$out/''${!dir_var}"
      done
      for ((i = 0; i < rbnArtN; i++)); do
        path_var="rbnArtPath$i" from_var="rbnArtFrom$i"
        mkdir -p "$(dirname "$out/''${!path_var}")"
        cp "''${!from_var}" "$out/''${!path_var}"
      done
    '' ];
    rbnPath = tools.path;
    rbnSteps = builtins.attrValues steps;
  } // tools.extraAttrs // attrs);

  src = rel: name: builtins.path { path = ./sources + "/${rel}"; inherit name; };
}
