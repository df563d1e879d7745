// Uploads metadata-dir as the artifact `rust-bootstrap-nix-<system>` through
// @actions/artifact. An artifact is a convenience, not the build: where the
// service is missing (GitHub Enterprise Server) or the upload fails, this
// warns and returns null, and never throws.
import { DefaultArtifactClient, GHESNotSupportedError } from '@actions/artifact';
import type { Log } from '../log.js';
import { walk } from '../util/walk.js';

export function artifactName(system: string): string {
  return `rust-bootstrap-nix-${system}`;
}

export interface ArtifactUpload {
  metadataDir: string;
  /** Nix system, e.g. `x86_64-linux`. */
  system: string;
  log: Log;
  /** Days to keep the artifact; the repository's setting when omitted. */
  retentionDays?: number;
  /** Top-level entries of metadata-dir left out (an x.py build dir is gigabytes). */
  exclude?: readonly string[];
}

/** Uploads the folder's regular files; returns the artifact id, or null when nothing was uploaded. */
export async function uploadMetadataArtifact(upload: ArtifactUpload): Promise<number | null> {
  const { metadataDir, system, log } = upload;
  const name = artifactName(system);
  try {
    if (onEnterpriseServer(process.env.GITHUB_SERVER_URL)) {
      log.warning(
        `Artifact ${name} not uploaded: the artifact service is not available on GitHub Enterprise Server (${process.env.GITHUB_SERVER_URL}). The files stay in ${metadataDir}.`,
      );
      return null;
    }
    const files = regularFiles(metadataDir, new Set(upload.exclude ?? []));
    if (files.length === 0) {
      log.warning(`Artifact ${name} not uploaded: ${metadataDir} holds no files.`);
      return null;
    }
    const client = new DefaultArtifactClient();
    const { id } = await client.uploadArtifact(name, files, metadataDir, {
      retentionDays: upload.retentionDays,
    });
    if (id === undefined) {
      log.warning(`Artifact ${name} was uploaded but the service returned no id.`);
      return null;
    }
    log.info(`Uploaded ${files.length} files from ${metadataDir} as artifact ${name} (id ${id}).`);
    return id;
  } catch (e) {
    const why =
      e instanceof GHESNotSupportedError
        ? 'the artifact service is not available on GitHub Enterprise Server'
        : (e as Error).message;
    log.warning(`Artifact ${name} not uploaded: ${why}. The build itself is unaffected.`);
    return null;
  }
}

/**
 * The client's own rule (github.com, *.ghe.com and *.localhost have the
 * service), checked first so that the user gets one clear warning instead of
 * the client's generic "errors can be temporary, try again".
 */
function onEnterpriseServer(serverUrl: string | undefined): boolean {
  const host = new URL(serverUrl || 'https://github.com').hostname.toLowerCase();
  return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}

/**
 * Regular files only, recursively. Symbolic links are left out: `nix build`
 * leaves `result` links into /nix/store, and the client would follow them
 * and upload whole store paths.
 */
function regularFiles(dir: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  walk(dir, {
    onError: 'throw',
    entry: (e, path, depth) => {
      if (depth === 0 && exclude.has(e.name)) return false;
      if (e.isFile()) out.push(path);
      return e.isDirectory();
    },
  });
  return out.sort();
}
