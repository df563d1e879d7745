// Setting up Nix, for the stages that need it: found or installed once (before
// the build, so that a missing Nix never wastes one), with the nix-conf
// lines for every call and the builders' SSH key for Nix's ssh.
import { InputError } from '../inputs.js';
import { sshKeyFileContent, sshOptsWithKey } from '../nix/remote-builders.js';
import { ensureNix, NixInstallError } from '../nix-install/index.js';
import type { PipelineContext } from '../pipeline/context.js';
import { saveSshKeyDir } from '../post/state.js';
import type { Inputs } from '../types.js';
import { writeSecretFile } from '../util/secret-file.js';

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
    signal: ctx.signal,
  }).catch((e: unknown) => {
    // Nothing to install with: the input that said so is the one to change.
    if (e instanceof NixInstallError && inputs.installNix === 'false')
      throw new InputError('install-nix', e.message);
    throw e;
  });
  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    NIX_CONFIG: setup.nixConfig,
    PATH: `${setup.bin}:${ctx.env.PATH ?? ''}`,
  };
  if (inputs.buildersSshKey) {
    // Nix's ssh (remote builders, ssh stores) takes it through NIX_SSHOPTS;
    // the post step (the CLI: its end) removes the file.
    const key = writeSecretFile(
      ctx.env,
      'builders-ssh-key',
      sshKeyFileContent(inputs.buildersSshKey),
    );
    saveSshKeyDir(ctx.state, key.dir);
    env.NIX_SSHOPTS = sshOptsWithKey(ctx.env.NIX_SSHOPTS, key.path);
  }
  return env;
}
