// How far mode build trusts an earlier emit's metadata: verified by its
// digest (metadata-integrity.ts), or built on the user's word
// (`trust-metadata`), which never extends to signing or publishing unless
// the user says so by name.
import { InputError } from '../inputs.js';
import type { Inputs } from '../types.js';
import { metadataDigest } from './metadata-integrity.js';

/** How far mode build trusts an earlier emit's metadata. */
export interface MetadataTrust {
  digest: string;
  /** The digest matched metadata-digest: the emit's own files. */
  verified: boolean;
}

/**
 * Mode build's check of the metadata it is to build: its digest against
 * `metadata-digest`, else the user's opt-in (`trust-metadata`); unverified
 * metadata never signs into a binary cache or publishes without the second
 * opt-in, `sign-and-publish`. A refusal is an InputError naming the input to set.
 */
export function checkMetadataTrust(
  inputs: Pick<
    Inputs,
    'metadataDir' | 'metadataDigest' | 'trustMetadata' | 'binaryCacheSecretKey' | 'publish'
  >,
): MetadataTrust {
  const dir = inputs.metadataDir;
  const digest = metadataDigest(dir);
  if (inputs.metadataDigest) {
    if (inputs.metadataDigest !== digest)
      throw new InputError(
        'metadata-digest',
        `metadata-dir ${dir} does not hold the emit it names: plan.json and invocations.jsonl have digest ${digest}. They were changed since that emit (or are another emit's); download the emit's own artifact, or emit again.`,
      );
    return { digest, verified: true };
  }
  if (inputs.trustMetadata === 'false')
    throw new InputError(
      'metadata-digest',
      `is empty, so metadata-dir ${dir} (an artifact or a cache, whoever wrote it) cannot be verified; pass the emit's plan-digest output (e.g. \${{ needs.emit.outputs.plan-digest }}), or set trust-metadata: true to build it unverified (see README, Security).`,
    );
  const signs = inputs.binaryCacheSecretKey ? 'binary-cache-secret-key' : null;
  const publishes = inputs.publish ? 'publish' : null;
  const second = signs ?? publishes;
  if (second && inputs.trustMetadata !== 'sign-and-publish')
    throw new InputError(
      'trust-metadata',
      `is 'true': metadata-dir ${dir} is built unverified, but never with ${second}; pass metadata-digest, or set trust-metadata: sign-and-publish to sign and publish what unverified metadata builds.`,
    );
  return { digest, verified: false };
}
