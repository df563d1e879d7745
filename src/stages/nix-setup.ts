// Setting up Nix, for the stages that need it: found or installed once (before
// the build, so that a missing Nix never wastes one), with the nix-conf
// lines for every call.
import { InputError } from '../inputs.js';
import { ensureNix, NixInstallError } from '../nix-install/index.js';
import type { Inputs } from '../types.js';
import type { PipelineContext } from './context.js';

export /** Nix for the stages that need it: found or installed once, with the nix-conf lines for every call. */
async function nixEnvironment(inputs: Inputs, ctx: PipelineContext): Promise<NodeJS.ProcessEnv> {
  const setup = await ensureNix({
    installNix: inputs.installNix,
    nixConf: inputs.nixConf,
    githubToken: inputs.githubToken,
    serverUrl: ctx.env.GITHUB_SERVER_URL,
    log: ctx.log,
    env: ctx.env,
    job: ctx.job,
  }).catch((e: unknown) => {
    // Nothing to install with: the input that said so is the one to change.
    if (e instanceof NixInstallError && inputs.installNix === 'false')
      throw new InputError('install-nix', e.message);
    throw e;
  });
  return { ...ctx.env, NIX_CONFIG: setup.nixConfig, PATH: `${setup.bin}:${ctx.env.PATH ?? ''}` };
}
