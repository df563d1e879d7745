// The `install-nix` and `nix-conf` inputs: use the Nix that is there, or install one.
import { type JobEnvironment, processEnvironment } from '../host/ports.js';
import type { Log } from '../log.js';
import type { InstallNix } from '../types.js';
import { nixConfigEnv, nixConfProblem } from './conf.js';
import { type DetectOptions, defaultProfileBins, findNix, NixInstallError } from './detect.js';

export { isGithubDotCom, nixConfigEnv, nixConfProblem, nixConfText } from './conf.js';
export { defaultProfileBins, type FoundNix, findNix, NixInstallError } from './detect.js';

export interface EnsureNixOptions extends DetectOptions {
  installNix: InstallNix;
  /** the nix-conf input */
  nixConf: string;
  githubToken: string;
  /** GITHUB_SERVER_URL */
  serverUrl?: string;
  log: Log;
  /** Where an installed or found Nix is announced to later steps (this process only by default). */
  job?: JobEnvironment;
  /** installer URL override (tests) */
  url?: string;
  timeoutMs?: number;
  attempts?: number;
  tempDir?: string;
  signal?: AbortSignal;
}

export interface NixSetup {
  installed: boolean;
  nix: string;
  bin: string;
  version: string;
  /**
   * NIX_CONFIG for the action's own Nix calls. For a Nix found on the machine this carries
   * the nix-conf lines (its nix.conf is not ours to edit); for one we installed they are
   * already in /etc/nix/nix.conf.
   */
  nixConfig: string;
}

export async function ensureNix(o: EnsureNixOptions): Promise<NixSetup> {
  const problem = nixConfProblem(o.nixConf);
  if (problem) throw new NixInstallError(problem);
  const env = o.env ?? process.env;

  if (o.installNix !== 'true') {
    const found = await findNix(o);
    if (found) {
      o.log.info(`Using Nix ${found.version} at ${found.nix} (found on ${found.via})`);
      (o.job ?? processEnvironment(env)).addPath(found.bin);
      return {
        installed: false,
        nix: found.nix,
        bin: found.bin,
        version: found.version,
        nixConfig: nixConfigEnv(o.nixConf, env.NIX_CONFIG),
      };
    }
    if (o.installNix === 'false') {
      throw new NixInstallError(
        `install-nix is false, but no Nix was found on PATH or in ${(o.profileBins ?? defaultProfileBins(env)).join(', ')}; install Nix before this step or set install-nix: auto`,
      );
    }
  }
  // Loaded only when installing: the download client is large.
  const { installNix } = await import('./install.js');
  const installed = await installNix({
    githubToken: o.githubToken,
    serverUrl: o.serverUrl,
    nixConf: o.nixConf,
    log: o.log,
    env,
    job: o.job ?? processEnvironment(env),
    url: o.url,
    timeoutMs: o.timeoutMs,
    attempts: o.attempts,
    tempDir: o.tempDir,
    signal: o.signal,
  });
  return { installed: true, ...installed, nixConfig: env.NIX_CONFIG ?? '' };
}
