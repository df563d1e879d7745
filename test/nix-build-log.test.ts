// Nix's internal-json log turned back into its plain lines and a count of
// builds (lines as Nix 2.8 writes them for a build with a failing step), and
// nixBuild with real Nix: its lines, its progress, a failed step described.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../src/log.js';
import { buildProgress, nixBuild } from '../src/nix/build.js';
import { nixJsonLog } from '../src/nix/log-json.js';
import { hostSandboxPaths } from '../src/nix/tools.js';
import { refusedByDaemon, untrustedFix } from '../src/nix/trust.js';
import type { PlanStep } from '../src/types.js';
import { nixEnv } from './support/nix-helpers.js';
import { removeTempDirs, tempDir } from './support/workspace.js';

afterAll(removeTempDirs);

const OK = '/nix/store/pj6q0672hayv5avfqc72m269yf9h6cfk-rbn-ok.drv';
const BAD = '/nix/store/9cq4gjjhzl7picwazdwsmdw1yjg2mwcz-rbn-bad.drv';
const E = '\\u001b';
const LINES = [
  '@nix {"action":"start","id":1,"level":0,"text":"","type":102}',
  '@nix {"action":"start","id":2,"level":0,"text":"","type":104}',
  '@nix {"action":"result","fields":[0,1,0,0],"id":2,"type":105}',
  '@nix {"action":"start","id":4,"level":6,"text":"querying info about missing paths","type":0}',
  '@nix {"action":"stop","id":4}',
  '@nix {"action":"result","fields":[0,3,0,0],"id":2,"type":105}',
  `@nix {"action":"start","fields":["${OK}","",1,1],"id":5,"level":3,"text":"building '${OK}'","type":105}`,
  '@nix {"action":"result","fields":[0,3,1,0],"id":2,"type":105}',
  '@nix {"action":"result","fields":["a line of the build log"],"id":5,"type":101}',
  '@nix {"action":"stop","id":5}',
  '@nix {"action":"result","fields":[1,3,0,0],"id":2,"type":105}',
  `@nix {"action":"start","fields":["${BAD}","",1,1],"id":6,"level":3,"text":"building '${BAD}'","type":105}`,
  `@nix {"action":"msg","column":null,"file":null,"level":0,"line":null,"msg":"${E}[31;1merror:${E}[0m builder for '${E}[35;1m${BAD}${E}[0m' failed with exit code 3"}`,
  '@nix {"action":"stop","id":6}',
  '@nix {"action":"msg","level":5,"msg":"a debug message"}',
  'a line that is not JSON',
  '@nix {not json',
];

test('the lines Nix would have printed, and the builds as they start and stop', () => {
  const decode = nixJsonLog();
  const events = LINES.map(decode).filter((e) => e !== null);
  expect(events.flatMap((e) => (e.text === undefined ? [] : [e.text]))).toEqual([
    `building '${OK}'...`,
    `building '${BAD}'...`,
    `error: builder for '${BAD}' failed with exit code 3`,
    'a line that is not JSON',
    '@nix {not json',
  ]);
  expect(events.flatMap((e) => (e.buildStarted ? [e.buildStarted] : []))).toEqual([OK, BAD]);
  expect(events.flatMap((e) => (e.buildStopped ? [e.buildStopped] : []))).toEqual([OK, BAD]);
  expect(events.flatMap((e) => (e.builds ? [e.builds.expected] : []))).toEqual([1, 3, 3, 3]);
});

// As Nix 2.8 logs a remote build (its builder's own log comes through with
// machine ''), a substitution from a binary cache and a push by `nix copy`.
const REMOTE = '/nix/store/llavgnlcamlach2h62n84agvvzs5rcxj-rbn-tiny-build-1f5a4f63d608b7a6.drv';
const OUT = '/nix/store/8ghcnwdr3wixhgbrphm1kv65xpb4q9ii-rbn-a-1796209799652313356';
const REMOTE_LINES = [
  `@nix {"action":"start","fields":["${REMOTE}","ssh-ng://root@127.0.0.1",1,1],"id":7,"level":3,"text":"building '${REMOTE}' on 'ssh-ng://root@127.0.0.1'","type":105}`,
  `@nix {"action":"start","fields":["${REMOTE}","",1,1],"id":8,"level":3,"text":"building '${REMOTE}'","type":105}`,
  `@nix {"action":"start","fields":["${OUT}","file:///tmp/bc1"],"id":9,"level":0,"text":"","type":108}`,
  `@nix {"action":"start","fields":["${OUT}","file:///tmp/bc1","local"],"id":10,"level":3,"text":"copying path '${OUT}' from 'file:///tmp/bc1'","type":100}`,
  `@nix {"action":"start","fields":["${OUT}","local","file:///tmp/bc2"],"id":11,"level":3,"text":"copying path '${OUT}' to 'file:///tmp/bc2'","type":100}`,
];

test('where a build ran, what was substituted and what was copied where', () => {
  const decode = nixJsonLog();
  const events = REMOTE_LINES.map(decode).filter((e) => e !== null);
  expect(events.flatMap((e) => (e.buildStarted ? [[e.buildStarted, e.machine]] : []))).toEqual([
    [REMOTE, 'ssh-ng://root@127.0.0.1'],
    [REMOTE, ''],
  ]);
  expect(events[0]!.text).toBe(`building '${REMOTE}' on 'ssh-ng://root@127.0.0.1'...`);
  expect(events.flatMap((e) => (e.substituting ? [e.substituting] : []))).toEqual([OUT]);
  expect(events.flatMap((e) => (e.copying ? [e.copying] : []))).toEqual([
    { path: OUT, to: 'local' },
    { path: OUT, to: 'file:///tmp/bc2' },
  ]);
});

test('built and reused of the steps, rbn-result not counted as a step', () => {
  expect(buildProgress(5, { started: 0, finished: 0, failed: 0, expected: null }, true)).toEqual({
    done: 0,
    detail: 'evaluating',
  });
  // Nix will build 3: two steps and rbn-result; three steps are reused.
  expect(buildProgress(5, { started: 1, finished: 0, failed: 0, expected: 3 }, true)).toEqual({
    done: 3,
    detail: '0 built · 3 reused · 1 building',
  });
  expect(buildProgress(5, { started: 2, finished: 2, failed: 0, expected: 3 }, true)).toEqual({
    done: 5,
    detail: '2 built · 3 reused',
  });
  expect(buildProgress(5, { started: 2, finished: 1, failed: 1, expected: 3 }, true)).toEqual({
    done: 4,
    detail: '1 built · 3 reused · 1 failed',
  });
  // Everything in the store already.
  expect(buildProgress(5, { started: 0, finished: 0, failed: 0, expected: 0 }, true)).toEqual({
    done: 5,
    detail: '0 built · 5 reused',
  });
  // Done: what Nix started is all it built.
  expect(buildProgress(5, { started: 2, finished: 2, failed: 0, expected: 3 }, true, true)).toEqual(
    { done: 5, detail: '2 built · 3 reused' },
  );
  expect(
    buildProgress(5, { started: 0, finished: 0, failed: 0, expected: null }, true, true),
  ).toEqual({ done: 5, detail: '0 built · 5 reused' });
  // One step's attribute: no rbn-result.
  expect(buildProgress(1, { started: 0, finished: 0, failed: 0, expected: 1 }, false)).toEqual({
    done: 0,
    detail: '0 built · 0 reused',
  });
  // After build once: of 10 steps, its rounds built 2 and it took 6; Nix builds 1 more
  // (and rbn-result), and the one left was in the store already.
  const before = { built: 2, taken: 6 };
  expect(
    buildProgress(10, { started: 1, finished: 1, failed: 0, expected: 2 }, true, true, before),
  ).toEqual({ done: 10, detail: '3 built · 6 taken · 1 reused' });
});

test('nixBuild with real Nix: the lines Nix prints, built/failed/reused as they happen, the failed step named', async () => {
  const flakeDir = tempDir('rbn-nix-progress-');
  const salt = randomBytes(8).toString('hex');
  // ok and bad are new; after-bad waits on bad; old was built before, so is reused.
  writeFileSync(
    join(flakeDir, 'flake.nix'),
    `{
  outputs = { self }: let
    system = builtins.currentSystem;
    mk = id: salt: deps: script: derivation {
      name = "rbn-\${id}"; inherit system deps salt; builder = "/bin/sh"; args = [ "-c" script ];
    };
    old = mk "old" "rbn-nix-progress-old" [] "echo > $out";
    ok = mk "ok" "${salt}" [] "echo > $out";
    bad = mk "bad" "${salt}" [ ok ] "echo planted-nix-failure; exit 3";
    afterBad = mk "after-bad" "${salt}" [ bad ] "echo > $out";
    all = mk "result" "${salt}" [ old ok bad afterBad ] "echo > $out";
  in { packages.\${system} = { inherit old; default = all; }; };
}
`,
  );
  const steps = ['old', 'ok', 'bad', 'after-bad'].map(
    (id) => ({ id, crate: id, kind: 'lib' }) as unknown as PlanStep,
  );
  const lines: string[] = [];
  const progress: string[] = [];
  const log: Log = {
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: (_, fn) => fn(),
    progress: (label, done, total, detail) => progress.push(`${label} ${done}/${total} ${detail}`),
    mask: () => {},
  };
  const env = nixEnv();
  const outLink = join(tempDir('rbn-nix-progress-out-'), 'result');
  // Its builders are the host's /bin/sh, bound into the sandbox as offline steps' tools are.
  const sandboxPaths = hostSandboxPaths(null);
  const first = await nixBuild(
    { flakeDir, attr: 'old', outLink, env, steps: steps.slice(0, 1), sandboxPaths },
    log,
  );
  expect(first.ok).toBe(true);
  progress.length = 0;
  lines.length = 0;
  const r = await nixBuild({ flakeDir, outLink, env, steps, sandboxPaths }, log);
  expect(r.ok).toBe(false);
  expect(r.built.sort()).toEqual(['bad', 'ok']);
  expect(r.failure).toMatch(
    /^Step 'bad' \(crate 'bad', lib\) failed under Nix:\n[\s\S]*planted-nix-failure/,
  );
  // Nix's own words, as its plain format has them: no JSON, no colour.
  const text = lines.join('\n');
  expect(text).toMatch(/^building '\/nix\/store\/[a-z0-9]{32}-rbn-ok\.drv'\.\.\.$/m);
  expect(text).toMatch(/^error: builder for '\/nix\/store\/[a-z0-9]{32}-rbn-bad\.drv' failed/m);
  expect(text).not.toContain('@nix');
  expect(text).not.toContain(String.fromCharCode(27));
  expect(progress[0]).toBe('nix build 0/4 evaluating');
  expect(progress).toContainEqual(
    expect.stringMatching(/^nix build 2\/4 1 built · 1 reused( · 1 building)?$/),
  );
  expect(progress.at(-1)).toBe('nix build 2/4 1 built · 1 reused · 1 failed');
});

// A daemon's warnings to an untrusted client (Nix 2.8's words; later versions add
// ", you are not a trusted user"). No daemon runs on this machine to make it say them.
test('what a Nix daemon ignored for an untrusted user, and the fix', () => {
  expect(refusedByDaemon("warning: ignoring untrusted substituter 'http://127.0.0.1:8080'")).toBe(
    "substituter 'http://127.0.0.1:8080'",
  );
  expect(
    refusedByDaemon(
      "warning: ignoring untrusted substituter 'https://c.example.org', you are not a trusted user.",
    ),
  ).toBe("substituter 'https://c.example.org'");
  expect(
    refusedByDaemon(
      "warning: ignoring the client-specified setting 'builders', because it is a restricted setting and you are not a trusted user",
    ),
  ).toBe("setting 'builders'");
  expect(refusedByDaemon("copying path '/nix/store/x' from 'https://c.example.org'...")).toBeNull();
  expect(untrustedFix(["substituter 'https://c'", "setting 'builders'"])).toMatch(
    /^The Nix daemon ignored the substituter 'https:\/\/c', the setting 'builders' for this user.*trusted-users = /,
  );
  expect(untrustedFix(["substituter 'https://c'"])).not.toMatch(/sandbox/);
  // The host tools an offline build binds into the sandbox: the nix.conf line that gives them.
  const refused = refusedByDaemon(
    "warning: ignoring the client-specified setting 'sandbox-paths', because it is a restricted setting and you are not a trusted user",
  );
  expect(refused).toBe("setting 'sandbox-paths'");
  expect(untrustedFix([refused!], ['/bin', '/usr/bin'])).toMatch(
    /cannot run the host's tools in the sandbox.*trusted-users = .*`extra-sandbox-paths = \/bin \/usr\/bin`/,
  );
});
