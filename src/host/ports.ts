// What the stages may ask of the program that runs them, besides the Log:
// step state handed from the main step to the post step, and additions to
// the environment of the job's later steps. The action's host answers with
// the runner's files (GITHUB_STATE, GITHUB_PATH, GITHUB_ENV, through
// @actions/core in host/action.ts); the CLI's with its own process. No stage
// imports @actions/core (as actions/cache injects its state provider).

/** Values the main step leaves for the post step (the caches to save, the sccache to stop). */
export interface StepState {
  save(name: string, value: string): void;
  /** What this step saved under `name`, else what the step before it left; null when neither. */
  load(name: string): string | null;
}

/** The environment of the job's later steps (and of this process). */
export interface JobEnvironment {
  addPath(dir: string): void;
  exportVariable(name: string, value: string): void;
}

/** State kept in this process: the CLI runs main's and post's work in one. */
export function memoryState(): StepState {
  const values = new Map<string, string>();
  return {
    save: (name, value) => void values.set(name, value),
    load: (name) => values.get(name) ?? null,
  };
}

/** Changes this process's environment only (the CLI: there are no later steps). */
export function processEnvironment(env: NodeJS.ProcessEnv = process.env): JobEnvironment {
  return {
    addPath: (dir) => {
      env.PATH = env.PATH ? `${dir}:${env.PATH}` : dir;
    },
    exportVariable: (name, value) => {
      env[name] = value;
    },
  };
}
