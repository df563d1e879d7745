// The post step: saves what the main step asked it to save. It never fails
// the job: every problem is a warning.
import * as core from '@actions/core';

export async function runPost(): Promise<void> {
  try {
    core.info('rust-bootstrap-nix: nothing to save.');
  } catch (e) {
    core.warning(`rust-bootstrap-nix post step: ${(e as Error).message}`);
  }
}
