import { createRequire as __rbnCreateRequire } from 'node:module'; const require = __rbnCreateRequire(import.meta.url);
import {
  run,
  tail
} from "./chunk-NZOH6GOL.js";

// src/nix/cli.ts
import { mkdirSync } from "node:fs";
import path from "node:path";
var NIX_FEATURES = ["--extra-experimental-features", "nix-command flakes"];
function currentNixSystem(arch = process.arch) {
  if (arch === "x64") return "x86_64-linux";
  if (arch === "arm64") return "aarch64-linux";
  throw new Error(`rust-bootstrap-nix runs on x86_64 and aarch64 Linux, not on ${arch}`);
}
function pathRef(dir) {
  const abs = path.resolve(dir);
  if (/[\s?#%]/.test(abs)) {
    throw new Error(
      `Nix cannot use ${abs} as a flake: its path has a space, ?, # or %; move it (or the action) to a plainer path`
    );
  }
  return `path:${abs}`;
}
async function buildOutPath(installable, opts) {
  const link = opts.gcRootDir ? ["--out-link", path.join(opts.gcRootDir, "toolchain")] : ["--no-link"];
  if (opts.gcRootDir) mkdirSync(opts.gcRootDir, { recursive: true });
  const args = [
    ...NIX_FEATURES,
    "build",
    "--json",
    ...link,
    "--no-write-lock-file",
    installable,
    ...opts.nixArgs ?? []
  ];
  const r = await run(opts.nix ?? "nix", args, { env: opts.env, signal: opts.signal });
  if (r.code !== 0)
    throw new Error(`nix build ${installable} failed:
${nixFailureReason(r.stderr)}`);
  return outPathOf(r.stdout);
}
function nixFailureReason(stderr) {
  const lines = stderr.split("\n");
  const ours = lines.filter((l) => l.includes("rust-bootstrap-nix:"));
  if (ours.length > 0) return ours.map((l) => l.trim()).join("\n");
  const download = lines.find((l) => /^error: unable to download '([^']+)'/.test(l));
  if (download) {
    return `${download.replace(/^error: /, "")}
Nix could not fetch a flake input or a binary: the runner needs network access to GitHub and cache.nixos.org (offline, use \`toolchain: system\`).`;
  }
  const noise = /^(warning: .*retrying in \d+ ms|• (Added|Updated) input|\s{4}'?(github|path|follows))/;
  return tail(lines.filter((l) => !noise.test(l)).join("\n"));
}
function outPathOf(json) {
  const parsed = JSON.parse(json);
  const out = parsed[0]?.outputs?.out;
  if (!out) throw new Error(`nix build --json printed no out path: ${json.slice(0, 200)}`);
  return out;
}
async function validPaths(paths, env) {
  if (paths.length === 0) return [];
  const r = await run("nix-store", ["--check-validity", "--print-invalid", ...paths], { env });
  if (r.code !== 0) return [];
  const invalid = new Set(r.stdout.split("\n"));
  return paths.filter((p) => !invalid.has(p));
}

export {
  NIX_FEATURES,
  currentNixSystem,
  pathRef,
  buildOutPath,
  validPaths
};
