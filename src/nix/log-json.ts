// Nix's `--log-format internal-json` (`@nix {…}` lines, the same from Nix 2.3
// on): the text Nix would have printed in its plain (`raw`) format, and which
// derivation builds start and stop (and on which machine), which paths are
// substituted or copied, for the counts. What Nix prints
// at its default verbosity: messages at level info or below, and the text of
// activities at that level with `...` after it (`building '/nix/store/…drv'...`).
// Build logs are not shown (no -L). Colour is taken out, as Nix does when
// stderr is not a terminal.
import { stripAnsi } from '../util/compile-error.js';

/** Nix's lvlInfo: what it prints without -v. */
const LVL_INFO = 3;
/** The activity type actBuild (ActivityType in Nix's logging.hh): fields [drv, machine, round, rounds]. */
const ACT_BUILD = 105;
/** actCopyPath: fields [path, from store, to store]. */
const ACT_COPY_PATH = 100;
/** actSubstitute: fields [path, substituter]. */
const ACT_SUBSTITUTE = 108;
/** The activity type actBuilds: its progress results count the builds. */
const ACT_BUILDS = 104;
/** The result type resProgress: [done, expected, running, failed]. */
const RES_PROGRESS = 105;

export interface NixLogEvent {
  /** Text as Nix's raw format prints it (no line end), if any. */
  text?: string;
  /** A derivation build started (its .drv path). */
  buildStarted?: string;
  /** The remote machine (its store URI) a started build runs on; '' on this machine. */
  machine?: string;
  /** A derivation build stopped, succeeded or failed (its .drv path). */
  buildStopped?: string;
  /** Nix's own count of the builds it has to do (it grows while Nix looks). */
  builds?: { done: number; expected: number; running: number; failed: number };
  /** Nix started substituting this store path from a substituter. */
  substituting?: string;
  /** Nix started copying this store path (`nix copy`, a substitution, a remote build's inputs). */
  copying?: { path: string; to: string };
}

interface RawEvent {
  action?: string;
  id?: number;
  level?: number;
  type?: number;
  text?: string;
  msg?: string;
  fields?: unknown[];
}

/** A decoder for one `nix … --log-format internal-json` run (it keeps the open activities). */
export function nixJsonLog(): (line: string) => NixLogEvent | null {
  const builds = new Map<number, string>();
  let buildsActivity: number | null = null;
  return (line) => {
    if (!line.startsWith('@nix ')) return line ? { text: line } : null;
    let e: RawEvent;
    try {
      e = JSON.parse(line.slice(5)) as RawEvent;
    } catch {
      return { text: line };
    }
    switch (e.action) {
      case 'msg':
        return (e.level ?? 0) <= LVL_INFO && typeof e.msg === 'string'
          ? { text: stripAnsi(e.msg) }
          : null;
      case 'start': {
        const out: NixLogEvent = {};
        if ((e.level ?? 0) <= LVL_INFO && e.text) out.text = `${stripAnsi(e.text)}...`;
        if (e.type === ACT_BUILD && typeof e.fields?.[0] === 'string' && e.id !== undefined) {
          builds.set(e.id, e.fields[0]);
          out.buildStarted = e.fields[0];
          out.machine = typeof e.fields[1] === 'string' ? e.fields[1] : '';
        }
        if (e.type === ACT_SUBSTITUTE && typeof e.fields?.[0] === 'string')
          out.substituting = e.fields[0];
        if (
          e.type === ACT_COPY_PATH &&
          typeof e.fields?.[0] === 'string' &&
          typeof e.fields[2] === 'string'
        )
          out.copying = { path: e.fields[0], to: e.fields[2] };
        if (e.type === ACT_BUILDS && e.id !== undefined) buildsActivity = e.id;
        return out;
      }
      case 'stop': {
        const drv = e.id === undefined ? undefined : builds.get(e.id);
        if (drv === undefined) return null;
        builds.delete(e.id!);
        return { buildStopped: drv };
      }
      case 'result': {
        if (e.id !== buildsActivity || e.type !== RES_PROGRESS) return null;
        const [done, expected, running, failed] = (e.fields ?? []).map(Number);
        if (![done, expected, running, failed].every((n) => Number.isInteger(n))) return null;
        return { builds: { done: done!, expected: expected!, running: running!, failed: failed! } };
      }
      default:
        return null;
    }
  };
}
