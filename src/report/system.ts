// The Nix system name of this machine (`x86_64-linux`, `aarch64-darwin`, …),
// which names the artifact and the check run of each matrix leg.
const ARCH: Partial<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' };

export function nixSystem(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return `${ARCH[arch] ?? arch}-${platform}`;
}
