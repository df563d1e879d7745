// The publish stage (publish: true, after a successful Nix build; or the
// CLI's `publish` of an earlier run): the generated flake committed in a
// scratch repository and pushed as the next step of its lattice point,
// `lattice/{component}/{arch}/phase{phase}/step{step}`. Nothing is pushed
// when the newest step already holds the same flake. A step another
// publisher took meanwhile is retried with the next number; any other
// refusal is one error naming the input to fix.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../inputs.js';
import { metadataPath } from '../metadata/dir.js';
import { flakeSystem } from '../nix/generate.js';
import { hostSandboxPaths } from '../nix/tools.js';
import { enter, type StageContext } from '../pipeline/context.js';
import { type PushOutcome, RemoteError, ScratchRepo } from '../publish/git.js';
import {
  archOf,
  componentProblem,
  defaultComponent,
  type LatticePoint,
  phaseOf,
  refNameProblem,
  renderBranch,
  stepsOf,
} from '../publish/lattice.js';
import { portableFiles } from '../publish/portable.js';
import { credentialEnv, flakeRefOf, type PublishRemote, resolveRemote } from '../publish/remote.js';
import {
  commitMessage,
  EXTRA_NAMES,
  type SnapshotInfo,
  snapshotFiles,
} from '../publish/snapshot-files.js';
import type { Inputs, Plan } from '../types.js';
import { nixFlakeDir } from '../util/assets-dir.js';
import { run } from '../util/process.js';
import { runnerTemp } from '../util/runner-temp.js';
import { secretInputsOf, withheldFromBuild } from '../util/secrets.js';
import type { Built } from './nix-build.js';
import type { EarlierEmit } from './preflight.js';
import { type Recorded, recordedEarlier } from './record.js';

/** Where to publish, settled before the build so that a wrong remote wastes none. */
export interface PublishTarget {
  remote: PublishRemote;
}

/** What was published (or found published already). */
export interface Published {
  branch: string;
  commit: string;
  flakeRef: string;
  /** false: the newest step already held this flake, and nothing was pushed. */
  pushed: boolean;
  remote: string;
}

/** What the stage publishes: a generated flake, the plan it was generated from, and the nix/ flake its online tools come from. */
export interface PublishSource {
  plan: Plan;
  flakeDir: string;
  nixFlakeDir: string;
}

const ATTEMPTS = 5;
// How git and the hosts say a token may not write, or that there is none.
const FORBIDDEN =
  /\b403\b|permission to .* denied|write access to repository not granted|not allowed to push/i;
const NO_CREDENTIALS =
  /could not read (username|password)|authentication failed|\b401\b|terminal prompts disabled/i;

export async function publishTarget(inputs: Inputs, ctx: StageContext): Promise<PublishTarget> {
  const base = ctx.env.GITHUB_WORKSPACE || process.cwd();
  const remote = await resolveRemote(inputs.publishRemote, inputs.sourceDir, base, ctx.env);
  if ('problem' in remote)
    throw new InputError(
      'publish-remote',
      `${remote.problem}; give the name of one of its remotes, or a git URL or path.`,
    );
  return { remote };
}

/** The commit the source tree is at (read-only), else the workflow's, else null. */
async function sourceCommitOf(sourceDir: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await run('git', ['-C', sourceDir, 'rev-parse', '--verify', '--quiet', 'HEAD'], {
    env: { ...env, GIT_TERMINAL_PROMPT: '0' },
  }).catch(() => null);
  const sha = r?.code === 0 ? r.stdout.trim() : '';
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha : env.GITHUB_SHA || null;
}

/** The point of the lattice this flake belongs to, its branch names checked. */
function latticePoint(inputs: Inputs, source: PublishSource, system: string): LatticePoint {
  const component = inputs.publishComponent ?? defaultComponent(source.plan);
  const problem = componentProblem(component);
  if (problem)
    throw new Error(
      `Input 'publish-component': '${component}' ${problem}; give a name such as logscan-rust-1.95.0.`,
    );
  const point = { component, arch: archOf(system), phase: phaseOf(source.plan) };
  const sample = renderBranch(inputs.publishBranch, point, 1);
  const bad = refNameProblem(sample);
  if (bad)
    throw new Error(
      `Input 'publish-branch': it gives the branch '${sample}', which ${bad}; change the template or publish-component.`,
    );
  return point;
}

/** One error for a remote that refused: the input to fix, and how. */
function refusal(where: PublishRemote, what: string, stderr: string): Error {
  const said = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' / ') || 'no reason given';
  if (FORBIDDEN.test(stderr))
    return new Error(
      `Input 'github-token': it may not push to ${where.shown} (${said}); give the job \`permissions: contents: write\`, or a token that may write to the repository.`,
    );
  if (NO_CREDENTIALS.test(stderr))
    return new Error(
      `Input 'github-token': git has no credentials to ${what} ${where.shown} (${said}); give a token that may write to the repository (the job's own with \`permissions: contents: write\`).`,
    );
  return new Error(
    `Input 'publish-remote': could not ${what} ${where.shown} (${said}); give a remote (or git URL) that exists and can be reached.`,
  );
}

function pushFailure(remote: PublishRemote, branch: string, outcome: PushOutcome): Error {
  if (outcome.kind === 'rejected')
    return new Error(
      `Input 'publish-branch': ${remote.shown} refused the branch ${branch} (${outcome.reason}); allow pushes to these branches there (branch protection, rulesets, hooks), or give publish-branch a template it accepts, or publish-remote another remote.`,
    );
  return refusal(remote, 'push to', outcome.kind === 'failed' ? outcome.stderr : '');
}

export async function publishFlake(
  inputs: Inputs,
  target: PublishTarget,
  source: PublishSource,
  ctx: StageContext,
): Promise<Published> {
  enter(ctx, 'publishing the flake');
  const { remote } = target;
  const system = flakeSystem(source.flakeDir);
  const point = latticePoint(inputs, source, system);
  const credentials = credentialEnv(remote.url, inputs.githubToken, ctx.env);
  // The header is the token in base64: as secret as the token.
  if (credentials.secret) ctx.redactor.learn(credentials.secret);
  // git (and a local remote's hooks) run without the inputs and the action's secrets (the CLI's
  // come in RUST_BOOTSTRAP_NIX_* variables): the token travels in the header alone.
  const withheld = withheldFromBuild(...secretInputsOf(inputs));
  const gitEnv = Object.fromEntries(
    Object.entries(ctx.env).filter(
      ([k, v]) => !k.startsWith('INPUT_') && !withheld.includes(v ?? ''),
    ),
  );
  const repo = await ScratchRepo.create(runnerTemp(ctx.env), gitEnv);
  try {
    // The flake as it builds anywhere (portable.ts): what "the same flake" compares.
    const flakeTree = await repo.withFiles(
      await repo.treeOf(source.flakeDir),
      portableFiles(source.plan, system, source.nixFlakeDir),
    );
    const sourceCommit = await sourceCommitOf(source.plan.source_dir, gitEnv);
    const info = (branch: string): SnapshotInfo => ({
      component: point.component,
      system,
      phase: point.phase,
      sourceCommit,
      plan: source.plan,
      branch,
      flakeRef: flakeRefOf(remote, branch),
      sandboxPaths: source.plan.toolchain.nix_spec ? [] : hostSandboxPaths(null),
    });
    const found = (branch: string, commit: string, pushed: boolean): Published => ({
      branch,
      commit,
      flakeRef: flakeRefOf(remote, branch),
      pushed,
      remote: remote.shown,
    });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const branches = await repo.branches(remote, credentials.env);
      const newest = stepsOf(inputs.publishBranch, point, [...branches.keys()]).at(-1) ?? 0;
      if (newest > 0) {
        const branch = renderBranch(inputs.publishBranch, point, newest);
        const theirs = await repo.remoteFlakeTree(remote, branch, EXTRA_NAMES, credentials.env);
        if (theirs === flakeTree) {
          ctx.log.info(`${branch} on ${remote.shown} already holds this flake: nothing to push.`);
          return found(branch, branches.get(branch)!, false);
        }
      }
      const branch = renderBranch(inputs.publishBranch, point, newest + 1);
      // The README and the message quote the remote and the plan: scrubbed like every file.
      const files = snapshotFiles(inputs.metadataDir, info(branch)).map((f) =>
        typeof f.content === 'string' ? { ...f, content: ctx.redactor.scrub(f.content) } : f,
      );
      const tree = await repo.withFiles(flakeTree, files);
      const commit = await repo.commit(tree, ctx.redactor.scrub(commitMessage(info(branch))));
      const outcome = await repo.pushNew(remote, commit, branch, credentials.env);
      if (outcome.kind === 'pushed') {
        ctx.log.info(
          `Published ${branch} (${commit.slice(0, 12)}) to ${remote.shown}: nix build '${flakeRefOf(remote, branch)}'`,
        );
        return found(branch, commit, true);
      }
      // A racing publisher may have won in the remote's own ref update (a lease
      // checks only what the push saw): a branch that exists now was taken.
      if (outcome.kind !== 'taken' && !(await repo.branches(remote, credentials.env)).has(branch))
        throw pushFailure(remote, branch, outcome);
      ctx.log.info(`${branch} was published by someone else meanwhile; looking again.`);
    }
    throw new Error(
      `Input 'publish-branch': every step tried on ${remote.shown} was taken by another publisher meanwhile (${ATTEMPTS} attempts); run again, or give concurrent publishers templates of their own.`,
    );
  } catch (e) {
    if (e instanceof RemoteError) throw refusal(remote, e.action, e.stderr);
    throw e;
  } finally {
    repo.dispose();
  }
}

/** Where publishing reads the flake of a run: `<metadata-dir>/flake`. */
export function flakeDirOf(metadataDir: string): string {
  return metadataPath(metadataDir, 'flake');
}

/** After a build: its flake published when the build succeeded (else said so). */
export async function publishIfBuilt(
  inputs: Inputs,
  target: PublishTarget,
  recorded: Recorded,
  built: Built | undefined,
  ctx: StageContext,
): Promise<Published | null> {
  if (!built?.ok) {
    ctx.log.info('Not publishing: the build did not succeed.');
    return null;
  }
  const source = { plan: recorded.plan, flakeDir: built.flakeDir, nixFlakeDir: nixFlakeDir() };
  return publishFlake(inputs, target, source, ctx);
}

/** The CLI's publish: the flake an earlier build generated in metadata-dir, as it is. */
export async function publishEarlier(
  inputs: Inputs,
  earlier: EarlierEmit,
  target: PublishTarget,
  ctx: StageContext,
): Promise<{ recorded: Recorded; published: Published }> {
  const flakeDir = flakeDirOf(inputs.metadataDir);
  if (!existsSync(join(flakeDir, 'flake.nix')))
    throw new InputError(
      'metadata-dir',
      `${inputs.metadataDir} holds no flake/flake.nix; run mode 'build' or 'emit-then-build' on it first.`,
    );
  // An older run's files may hold what this run knows to be a secret (as load.ts).
  const { records, plan } = ctx.redactor.deep({ records: earlier.records, plan: earlier.plan });
  const recorded = recordedEarlier(records, plan, earlier.trust.digest);
  const published = await publishFlake(
    inputs,
    target,
    { plan, flakeDir, nixFlakeDir: nixFlakeDir() },
    ctx,
  );
  return { recorded, published };
}
