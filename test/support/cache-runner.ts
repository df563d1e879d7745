// Runs code the way the Actions runner runs an action's main and post steps,
// in this process: each step gets the job's variables, a GITHUB_STATE file
// (main's core.saveState lines become post's STATE_* variables), and its
// workflow commands (::warning:: ...) are read from stdout.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import type { Log } from '../../src/log.js';
import { parseCommandFile, workflowCommands } from './run-action.js';

export interface StepResult<T> {
  value: T;
  warnings: string[];
  errors: string[];
  /** process.exitCode after the step (core.setFailed sets 1). */
  exitCode: number | string | undefined;
  stdout: string;
}

/** The Log the action gives the pipeline: @actions/core's commands. */
export const coreLog: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  group: (title, fn) => core.group(title, fn),
  progress: () => {},
  mask: (v) => core.setSecret(v),
};

export class RunnerJob {
  private state: Record<string, string> = {};

  /** `env`: the job's variables: cache service URL and token, GITHUB_WORKSPACE, and RUNNER_TEMP (the client's archives go there). */
  constructor(private readonly env: Record<string, string>) {}

  async main<T>(fn: () => Promise<T>): Promise<StepResult<T>> {
    const dir = mkdtempSync(join(tmpdir(), 'rbn-runner-'));
    const stateFile = join(dir, 'state');
    writeFileSync(stateFile, '');
    try {
      return await this.step({ GITHUB_STATE: stateFile }, fn);
    } finally {
      // `name<<delimiter\nvalue\ndelimiter` blocks, as core.saveState writes them.
      this.state = parseCommandFile(readFileSync(stateFile, 'utf8'));
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async post<T>(fn: () => Promise<T>): Promise<StepResult<T>> {
    const stateEnv = Object.fromEntries(
      Object.entries(this.state).map(([k, v]) => [`STATE_${k}`, v]),
    );
    return this.step(stateEnv, fn);
  }

  private async step<T>(
    extra: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<StepResult<T>> {
    const saved = { ...process.env };
    const savedExitCode = process.exitCode;
    Object.assign(process.env, { GITHUB_ACTIONS: 'true' }, this.env, extra);
    process.exitCode = undefined;
    const write = process.stdout.write;
    let stdout = '';
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
    try {
      const value = await fn();
      return {
        value,
        warnings: workflowCommands(stdout, 'warning'),
        errors: workflowCommands(stdout, 'error'),
        exitCode: process.exitCode,
        stdout,
      };
    } finally {
      process.stdout.write = write;
      process.exitCode = savedExitCode;
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }
}
