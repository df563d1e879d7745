// The same pipeline outside GitHub: inputs from flags (cli-args.ts), the
// build's output under one status line on a terminal and plain lines
// otherwise (terminal.ts). Exit 0 on success, 1 on a failed
// build, 2 on bad usage, 130 on SIGINT (Ctrl-C) and 143 on SIGTERM, once the
// run has cleaned up after itself.

import { InputError, parseInputs } from '../inputs.js';
import { runPipeline } from '../pipeline/run.js';
import { finishNixRun } from '../post/actions.js';
import { readHandover } from '../post/state.js';
import { stopSccache } from '../sccache/server.js';
import { abortSignalName, CancelledError, exitCodeFor } from '../util/cancel.js';
import { cleanupTimedOut, watchSignals } from '../util/signals.js';
import {
  cliInputValue,
  inputDocs,
  PROGRAM,
  parseCommandLine,
  subcommandHelp,
  USAGE,
  UsageError,
} from './cli-args.js';
import { memoryState, processEnvironment } from './ports.js';
import { type TerminalStream, terminalLog } from './terminal.js';

export { parseCommandLine, USAGE } from './cli-args.js';

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: { out: TerminalStream; err: TerminalStream } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err.write(`${PROGRAM}: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    io.out.write(
      command.subcommand ? subcommandHelp(command.subcommand, await inputDocs()) : USAGE,
    );
    return 0;
  }
  const { mode, values, subcommand } = command;
  // publish: of an earlier run, as it is (the publish input is implied).
  const only = subcommand === 'publish' ? 'publish' : null;
  if (only) values.set('publish', 'true');
  const log = terminalLog({ err: io.err, out: io.out, env });
  const errorLine = (message: string): void => {
    log.finish();
    log.line(`${PROGRAM}: ${message}`);
  };
  const watch = watchSignals({
    note: (m) => log.info(m),
    onTimeout: (sig) => {
      errorLine(cleanupTimedOut(sig));
      process.exit(exitCodeFor(sig));
    },
  });
  const state = memoryState(); // main and post in one process: nothing to hand over
  let finish: (() => Promise<void>) | null = null;
  try {
    const inputs = parseInputs(
      (name) => (name === 'mode' ? mode : cliInputValue(values, name, env)),
      env,
    );
    // What the action's post step does for Nix (the SSH key removed, a failed build's steps pushed), at the end.
    finish = () => finishNixRun(readHandover(state), inputs.binaryCacheSecretKey ?? '', env, log);
    const result = await runPipeline(
      inputs,
      {
        log,
        env,
        state,
        job: processEnvironment(env), // no later steps, and no workflow command on a terminal
        output: (chunk, stream) => log.output(chunk, stream),
        signal: watch.signal,
      },
      only,
    );
    if (result.sccache) await stopSccache(result.sccache, log);
    if (watch.signal.aborted)
      throw new CancelledError(
        abortSignalName(watch.signal),
        'finishing',
        result.sccache ? ['sccache stopped'] : [],
      );
    log.finish();
    for (const [name, value] of Object.entries(result.outputs)) log.result(`${name}=${value}`);
    if (result.failure) {
      log.error(result.failure);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof CancelledError) {
      errorLine(e.message);
      return exitCodeFor(e.signal);
    }
    errorLine((e as Error).message);
    return e instanceof InputError ? 2 : 1;
  } finally {
    await finish?.();
    log.finish();
    watch.dispose();
  }
}
