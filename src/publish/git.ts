// The git side of publishing, in a scratch bare repository of its own: the
// user's checkout (its index, HEAD, work tree, objects, config) is never
// touched. A snapshot is a root commit with a fixed author and fixed dates,
// so the same files give the same tree and the same commit wherever they are
// published from. Local operations ignore the user's and the system's git
// config (autocrlf, signing, hooks would change or stop the commit); network
// ones keep them (credential helpers, insteadOf) and add the token through
// the environment (remote.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type RunResult, run, tail } from '../util/process.js';
import type { PublishRemote } from './remote.js';

const AUTHOR = 'rust-bootstrap-nix';
const EMAIL = 'rust-bootstrap-nix@users.noreply.github.com';
// 2000-01-01T00:00:00Z: a snapshot's commit says nothing of when it was made.
const DATE = '946684800 +0000';

const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/** A file put into a tree by its path and content. */
export interface ExtraFile {
  name: string;
  content: string | Buffer;
}

/** How a push ended. */
export type PushOutcome =
  | { kind: 'pushed' }
  /** The branch exists already (another publisher took this step meanwhile). */
  | { kind: 'taken' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'failed'; stderr: string };

export class ScratchRepo {
  private constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(parent: string, env: NodeJS.ProcessEnv): Promise<ScratchRepo> {
    const dir = mkdtempSync(join(parent, 'rbn-publish-'));
    // A repository the environment points at (a hook's GIT_DIR, GIT_WORK_TREE) is not ours.
    const own = Object.fromEntries(
      Object.entries(env).filter(([k]) => !REPOSITORY_VARIABLES.includes(k)),
    );
    const repo = new ScratchRepo(dir, own);
    await repo.local(['init', '--quiet', '--bare', join(dir, 'repo.git')]);
    return repo;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get gitDir(): string {
    return join(this.dir, 'repo.git');
  }

  /** git on the scratch repository, without the user's or the system's config. */
  private async local(
    args: string[],
    opts: { input?: string | Buffer; env?: Record<string, string> } = {},
  ): Promise<string> {
    const r = await run(
      'git',
      [
        '-c',
        'core.autocrlf=false',
        '-c',
        'core.fileMode=true',
        '-c',
        'core.symlinks=true',
        '-c',
        'gc.auto=0',
        ...args,
      ],
      {
        env: {
          ...this.env,
          GIT_DIR: this.gitDir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          ...opts.env,
        },
        cwd: this.dir,
        input: opts.input,
      },
    );
    if (r.code !== 0) throw new Error(`git ${args[0]} failed: ${tail(r.stderr, 5)}`);
    return r.stdout;
  }

  /** git talking to a remote: the user's config kept, the credentials added, never a prompt. */
  private network(args: string[], credentials: Record<string, string>): Promise<RunResult> {
    return run('git', args, {
      env: { ...this.env, GIT_DIR: this.gitDir, GIT_TERMINAL_PROMPT: '0', ...credentials },
      cwd: this.dir,
    });
  }

  /** The tree of every file under `dir` (the flake), its objects written here. */
  async treeOf(dir: string): Promise<string> {
    const index = { GIT_INDEX_FILE: join(this.dir, 'index'), GIT_WORK_TREE: dir };
    rmSync(index.GIT_INDEX_FILE, { force: true });
    // -f: the user's excludes (and a stray .gitignore among the sources) leave nothing out.
    await this.local(['add', '--all', '--force', '.'], { env: index });
    return (await this.local(['write-tree'], { env: index })).trim();
  }

  /** `base` with `files` added (or replaced), at paths relative to its root. */
  async withFiles(base: string, files: readonly ExtraFile[]): Promise<string> {
    const index = { GIT_INDEX_FILE: join(this.dir, 'index') };
    await this.local(['read-tree', base], { env: index });
    for (const f of files) {
      const blob = (
        await this.local(['hash-object', '-w', '--stdin'], { input: f.content })
      ).trim();
      await this.local(['update-index', '--add', '--cacheinfo', `100644,${blob},${f.name}`], {
        env: index,
      });
    }
    return (await this.local(['write-tree'], { env: index })).trim();
  }

  /** `tree` as a root commit, by the fixed author at the fixed date. */
  async commit(tree: string, message: string): Promise<string> {
    const who = { NAME: AUTHOR, EMAIL, DATE };
    const env = Object.fromEntries(
      ['AUTHOR', 'COMMITTER'].flatMap((role) =>
        Object.entries(who).map(([k, v]) => [`GIT_${role}_${k}`, v]),
      ),
    );
    return (
      await this.local(['commit-tree', '--no-gpg-sign', tree, '-F', '-'], { input: message, env })
    ).trim();
  }

  /** The remote's branches (names without refs/heads/) and their commits. */
  async branches(
    remote: PublishRemote,
    credentials: Record<string, string>,
  ): Promise<Map<string, string>> {
    const r = await this.network(['ls-remote', '--heads', remote.url], credentials);
    if (r.code !== 0) throw new RemoteError('list the branches of', remote, r.stderr);
    const out = new Map<string, string>();
    for (const line of r.stdout.split('\n')) {
      const m = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
      if (m) out.set(m[2]!, m[1]!);
    }
    return out;
  }

  /** The flake's tree in a branch of the remote (fetched here): its root without `extraNames`. */
  async remoteFlakeTree(
    remote: PublishRemote,
    branch: string,
    extraNames: readonly string[],
    credentials: Record<string, string>,
  ): Promise<string> {
    const ref = `refs/rbn/${branch}`;
    const r = await this.network(
      ['fetch', '--quiet', '--no-tags', remote.url, `+refs/heads/${branch}:${ref}`],
      credentials,
    );
    if (r.code !== 0) throw new RemoteError(`fetch ${branch} from`, remote, r.stderr);
    const entries = (await this.local(['ls-tree', ref]))
      .split('\n')
      .filter((l) => l && !extraNames.includes(l.slice(l.indexOf('\t') + 1)));
    return (await this.local(['mktree'], { input: `${entries.join('\n')}\n` })).trim();
  }

  /** Creates `branch` at `commit` on the remote, only if it does not exist yet. */
  async pushNew(
    remote: PublishRemote,
    commit: string,
    branch: string,
    credentials: Record<string, string>,
  ): Promise<PushOutcome> {
    const ref = `refs/heads/${branch}`;
    // An empty lease: the ref must not exist; a racing publisher's branch is never overwritten.
    const r = await this.network(
      ['push', '--porcelain', `--force-with-lease=${ref}:`, remote.url, `${commit}:${ref}`],
      credentials,
    );
    const status = r.stdout.split('\n').find((l) => l.endsWith(ref) || l.includes(`:${ref}\t`));
    const line = status ?? '';
    if (r.code === 0 && /^[ *+=]/.test(line)) return { kind: 'pushed' };
    if (
      /^!.*\[rejected\]/.test(line) &&
      /stale info|fetch first|already exists|non-fast-forward/.test(line)
    )
      return { kind: 'taken' };
    const remoteRejected = /\[remote rejected\] \((.*)\)/.exec(line);
    if (remoteRejected) return { kind: 'rejected', reason: remoteRejected[1]! };
    const rejected = /\[rejected\] \((.*)\)/.exec(line);
    if (rejected) return { kind: 'rejected', reason: rejected[1]! };
    return { kind: 'failed', stderr: r.stderr };
  }
}

/** A remote that could not be read: git's own words. */
export class RemoteError extends Error {
  constructor(
    readonly action: string,
    readonly remote: PublishRemote,
    readonly stderr: string,
  ) {
    super(`could not ${action} ${remote.shown}: ${tail(stderr, 5) || 'git gave no reason'}`);
  }
}
