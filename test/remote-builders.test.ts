// Issue 14, "Done when", remote builders: a real sshd on 127.0.0.1 (its own
// config, host key and port, started here and killed after) as a Nix
// remote builder over ssh-ng://, with a client key made here and given to
// the action as builders-ssh-key. nix-conf says `builders = ssh-ng://…` and
// `max-jobs = 0`, so this machine builds nothing itself: every step goes to
// the builder (a store of its own, see support/sshd.ts). The action runs as
// the runner runs it (node dist/main.js, then node dist/post.js).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { currentNixSystem } from '../src/nix/cli.js';
import { expectExit, readMetadataDir, workflowCommands } from './support/run-action.js';
import { type Sshd, startSshd } from './support/sshd.js';
import {
  newSalt,
  resultBinary,
  stepOutputPaths,
  TINY_OUTPUT,
  tinyJob,
  tinyWorkspace,
} from './support/tiny-job.js';
import { listFiles, removeTempDirs, runSync, tempDir } from './support/workspace.js';

let sshd: Sshd | undefined;

beforeAll(async () => {
  sshd = await startSshd();
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  removeTempDirs();
});

test(
  "every step is built on the ssh-ng:// builder with the action's SSH key; the summary counts them per machine; post removes the key",
  async () => {
    const s = sshd!;
    const root = tempDir('rbn-remote-');
    const workspace = tinyWorkspace(join(root, 'ws'));
    const metadataDir = join(root, 'meta');
    const builder = 'ssh-ng://root@127.0.0.1';
    const job = tinyJob(
      workspace,
      metadataDir,
      newSalt(),
      {
        'nix-conf': `builders = ${builder} ${currentNixSystem()} - 2 1\nmax-jobs = 0`,
        'builders-ssh-key': s.clientKey,
        // What is measured is Nix's distribution of builds: no compile taken from the recording.
        'build-once': 'false',
      },
      {
        // The port and the builder's host key; no config file, no agent: only the action's key can log in.
        NIX_SSHOPTS: `-F none -p ${s.port} -o UserKnownHostsFile=${s.knownHosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes`,
      },
    );
    const main = await job.main();
    expectExit(main, 0);
    expect(workflowCommands(main.stdout, 'error')).toEqual([]);
    const plan = readMetadataDir(metadataDir).plan;
    const steps = plan.steps.map((st) => st.id).sort();
    expect(steps).toHaveLength(5);

    // Nix says where each step was built: every one on the builder.
    const on = [
      ...main.stdout.matchAll(
        /building '\/nix\/store\/[a-z0-9]{32}-rbn-([^']+)\.drv' on '([^']+)'/g,
      ),
    ];
    expect(on.filter((m) => steps.includes(m[1]!)).map((m) => [m[1], m[2]])).toEqual(
      expect.arrayContaining(steps.map((id) => [id, builder])),
    );
    expect(main.summary).toContain('### Build machines');
    expect(main.summary).toContain(`| \`${builder}\` | ${steps.length} |`);
    expect(main.summary).not.toContain('| `this runner` |');

    // Built there: the builder's own store holds every step output, and ours got them back.
    const outPaths = (main.outputs['out-paths'] ?? '').split(' ').filter(Boolean);
    const outputs = stepOutputPaths(outPaths, plan);
    expect(outputs).toHaveLength(steps.length + 1);
    for (const p of outputs) expect(existsSync(join(s.remoteNix, 'store', basename(p)))).toBe(true);
    expect(runSync(resultBinary(outPaths[0]!), []).stdout).toBe(TINY_OUTPUT);
    // sshd let in the action's key (the one key that can log in).
    expect(s.log()).toMatch(/Accepted publickey for root from 127\.0\.0\.1/);

    // The key: a 0600 file in a private dir under RUNNER_TEMP until post, never shown.
    const keyDir = main.state['rbn-builders-ssh-key'];
    expect(keyDir).toBeDefined();
    expect(keyDir!.startsWith(`${job.runnerTemp}/`)).toBe(true);
    expect(statSync(keyDir!).mode & 0o777).toBe(0o700);
    const [keyFile] = readdirSync(keyDir!);
    expect(statSync(join(keyDir!, keyFile!)).mode & 0o777).toBe(0o600);
    const keyLine = s.clientKey.split('\n')[1]!;
    const shown = main.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(keyLine.length).toBeGreaterThan(20);
    expect(shown).not.toContain(keyLine);
    expect(main.summary).not.toContain(keyLine);
    for (const f of listFiles(metadataDir)) expect(readFileSync(f, 'utf8')).not.toContain(keyLine);

    const post = await job.post();
    expectExit(post, 0);
    expect(existsSync(keyDir!)).toBe(false);
  },
  5 * 60_000,
);
