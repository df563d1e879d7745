{
  description = "rust-bootstrap-nix: pinned Rust toolchains (rust-overlay) and build tools (nixpkgs) for the action";

  # Both pins live in flake.lock; update them with `nix flake update --flake ./nix` on a
  # machine with network access. rust-overlay follows our nixpkgs so there is one package set.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    rust-overlay = {
      url = "github:oxalica/rust-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      rust-overlay,
    }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      # builtins only, so the flake evaluates against small stand-ins in tests.
      forSystems =
        f:
        builtins.listToAttrs (
          map (system: {
            name = system;
            value = f system;
          }) systems
        );

      pkgsFor = system: nixpkgs.legacyPackages.${system};
      # The builder interface: no nixpkgs re-import, so evaluation stays cheap.
      rustBinFor = system: rust-overlay.lib.mkRustBin { } (pkgsFor system);

      selectionOf = spec: import ./lib/spec.nix { inherit spec; };

      # spec: { channel ? "stable"; profile ? "default"; components ? [ ]; targets ? [ ];
      #         toolchainFile ? null; }  (see lib/spec.nix)
      toolchainFor =
        {
          system,
          spec ? { },
        }:
        import ./lib/toolchain.nix {
          rust-bin = rustBinFor system;
          selection = selectionOf spec;
        };

      sandboxToolsFor = system: import ./lib/sandbox-tools.nix { pkgs = pkgsFor system; };

      devShellFor =
        {
          system,
          spec ? { },
        }:
        import ./lib/dev-shell.nix {
          pkgs = pkgsFor system;
          toolchain = toolchainFor { inherit system spec; };
        };

      # What a generated online step derivation needs: the toolchain, the tools, a PATH.
      onlineEnvFor =
        {
          system,
          spec ? { },
        }:
        let
          tools = sandboxToolsFor system;
          toolchain = toolchainFor { inherit system spec; };
        in
        {
          inherit toolchain tools system;
          shell = "${tools.bash}/bin/bash";
          path = builtins.concatStringsSep ":" (
            map (p: "${p}/bin") ([ toolchain ] ++ builtins.attrValues tools)
          );
        };
    in
    {
      lib = {
        inherit
          systems
          toolchainFor
          devShellFor
          sandboxToolsFor
          onlineEnvFor
          selectionOf
          ;
      };

      packages = forSystems (
        system:
        let
          tc = channel: toolchainFor {
            inherit system;
            spec = { inherit channel; };
          };
          tools = sandboxToolsFor system;
        in
        {
          default = tc "stable";
          stable = tc "stable";
          beta = tc "beta";
          nightly = tc "nightly";
          # The compiler cache the action runs compiles through with a Nix toolchain.
          sccache = (pkgsFor system).sccache;
          sandbox-tools = (pkgsFor system).symlinkJoin {
            name = "rust-bootstrap-nix-sandbox-tools";
            paths = builtins.attrValues tools;
          };
        }
      );

      legacyPackages = forSystems (system: {
        toolchainFor = spec: toolchainFor { inherit system spec; };
      });

      sandboxTools = forSystems sandboxToolsFor;

      devShells = forSystems (system: {
        default = devShellFor { inherit system; };
      });
    };
}
