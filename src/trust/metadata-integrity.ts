// The integrity check of metadata this action wrote: a digest over
// plan.json and invocations.jsonl, the two files a flake is generated from,
// exposed as the emit's `plan-digest` output. Job outputs travel through
// GitHub (needs.<job>.outputs), not through the artifact or the cache an
// attacker could have written, so mode build given it back as
// `metadata-digest` knows the files are the emit's own. A digest kept inside
// metadata-dir would prove nothing: whoever edits plan.json edits it too.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METADATA_FILES } from '../metadata/dir.js';
import type { TrustMetadata } from '../types.js';

const FILES = [METADATA_FILES.plan, METADATA_FILES.records] as const;
const PREFIX = 'sha256:';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<hex>` over the names, lengths and bytes of plan.json and invocations.jsonl in `dir`. */
export function metadataDigest(dir: string): string {
  const h = createHash('sha256').update('rust-bootstrap-nix metadata v1\0');
  for (const name of FILES) {
    const bytes = readFileSync(join(dir, name));
    h.update(`${name}\0${bytes.length}\0`).update(bytes);
  }
  return PREFIX + h.digest('hex');
}

/** What is wrong with a `metadata-digest` input's value, or null. */
export function digestInputProblem(raw: string): string | null {
  return DIGEST.test(raw)
    ? null
    : `'${raw.slice(0, 80)}' is not a digest; give the emit's plan-digest output as it is (sha256: and 64 hex digits).`;
}

export const TRUST_METADATA: readonly TrustMetadata[] = ['false', 'true', 'sign-and-publish'];
