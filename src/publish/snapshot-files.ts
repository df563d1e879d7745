// What a lattice branch holds beside the flake: the run's config.toml,
// plan.json and invocations.jsonl as metadata-dir has them (already free of
// secrets), and a short README naming the source commit, the toolchain and
// how to build it. None of them changes what the flake builds, so "the same
// flake" leaves them out (EXTRA_NAMES).
import { existsSync, readFileSync } from 'node:fs';
import { METADATA_FILES, type MetadataFile, metadataPath } from '../metadata/dir.js';
import type { Plan } from '../types.js';
import type { ExtraFile } from './git.js';

const COPIED: readonly MetadataFile[] = ['config', 'plan', 'records'];
export const EXTRA_NAMES: readonly string[] = [
  ...COPIED.map((f) => METADATA_FILES[f]),
  'README.md',
];

export interface SnapshotInfo {
  component: string;
  system: string;
  phase: number;
  sourceCommit: string | null;
  plan: Plan;
  branch: string;
  flakeRef: string;
  /** Host directories an offline flake's steps run tools from (`extra-sandbox-paths`); none online. */
  sandboxPaths: readonly string[];
}

/** The commit message: the same for the same snapshot, wherever it is published from. */
export function commitMessage(info: SnapshotInfo): string {
  return [
    `${info.component} ${info.system} phase ${info.phase}: ${info.plan.steps.length} steps`,
    '',
    `Source commit: ${info.sourceCommit ?? 'unknown'}`,
    `Toolchain: rustc ${info.plan.toolchain.version}`,
    'Published by rust-bootstrap-nix.',
    '',
  ].join('\n');
}

function readme(info: SnapshotInfo): string {
  const steps = info.plan.steps;
  const example = steps.find((s) => s.type !== 'link') ?? steps[0];
  // An offline flake's steps run the host's shell and C toolchain, bound into Nix's sandbox.
  const flags = info.sandboxPaths.length
    ? `--option extra-sandbox-paths '${info.sandboxPaths.join(' ')}' `
    : '';
  return `# ${info.component} (${info.system}, phase ${info.phase})

One recorded build as a Nix flake, published by rust-bootstrap-nix: every
compiler invocation of the build is a derivation of its own (${steps.length} steps).

| | |
|---|---|
| source commit | \`${info.sourceCommit ?? 'unknown'}\` |
| toolchain | rustc ${info.plan.toolchain.version} |
| system | \`${info.system}\` |
| phase | ${info.phase} (the bootstrap stage the build reached; 0 for cargo) |

Build everything (the build's final artifacts, at the paths the build left them):

\`\`\`sh
nix build ${flags}'${info.flakeRef}'
\`\`\`
${
  example
    ? `
Build one step (its attribute is its id in \`plan.json\`):

\`\`\`sh
nix build ${flags}'${info.flakeRef}#${example.id}'
\`\`\`
`
    : ''
}
${
  flags
    ? `
Its steps run the host's shell, coreutils and C toolchain (\`toolchain: system\`): the
same programs at the same paths, bound into Nix's sandbox by \`extra-sandbox-paths\`
(a trusted Nix user may set it).
`
    : ''
}
\`config.toml\` is the bootstrap config the build used, \`plan.json\` the steps as
a graph, \`invocations.jsonl\` every recorded invocation.
`;
}

/** The files beside the flake, for the branch `info` names. */
export function snapshotFiles(metadataDir: string, info: SnapshotInfo): ExtraFile[] {
  const files: ExtraFile[] = COPIED.filter((f) => existsSync(metadataPath(metadataDir, f))).map(
    (f) => ({ name: METADATA_FILES[f], content: readFileSync(metadataPath(metadataDir, f)) }),
  );
  return [...files, { name: 'README.md', content: readme(info) }];
}
