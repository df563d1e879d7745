// The critical path: the chain of dependent steps whose durations add up to
// the most. No amount of parallelism makes the build faster than this chain.
import type { PlanStep } from '../types.js';

export interface CriticalPath {
  /** Step ids, first (no dependencies on the path) to last. */
  steps: string[];
  total_ms: number;
}

type StepLike = Pick<PlanStep, 'id' | 'deps' | 'duration_ms'>;

/**
 * Longest duration-weighted path through the step graph. Dependencies on ids
 * that are not steps (probes, cargo calls) are ignored. Ties go to what comes
 * first in plan order (and in a step's `deps`), so the answer is
 * deterministic. Throws on a dependency cycle: such a plan is broken, and a
 * path through it would be meaningless.
 */
export function criticalPath(plan: { steps: readonly StepLike[] }): CriticalPath {
  const finish = new Map<string, number>(); // longest path ending at the step, inclusive
  const via = new Map<string, string>(); // the dependency that path comes through
  for (const step of topologicalOrder(plan.steps)) {
    let best = 0;
    let from: string | undefined;
    for (const dep of step.deps) {
      const length = finish.get(dep);
      if (length !== undefined && (from === undefined || length > best)) {
        best = length;
        from = dep;
      }
    }
    if (from !== undefined) via.set(step.id, from);
    finish.set(step.id, best + weight(step));
  }
  let end: string | undefined;
  for (const { id } of plan.steps) {
    if (end === undefined || finish.get(id)! > finish.get(end)!) end = id;
  }
  if (end === undefined) return { steps: [], total_ms: 0 };
  const steps: string[] = [];
  for (let id: string | undefined = end; id !== undefined; id = via.get(id)) steps.push(id);
  return { steps: steps.reverse(), total_ms: finish.get(end)! };
}

/** A step that never reported a duration counts as instant rather than poisoning the sums. */
function weight(step: StepLike): number {
  return Number.isFinite(step.duration_ms) && step.duration_ms > 0 ? step.duration_ms : 0;
}

/** Kahn's algorithm, stable in plan order. */
function topologicalOrder<S extends StepLike>(steps: readonly S[]): S[] {
  const ids = new Set(steps.map((s) => s.id));
  const pending = new Map<string, number>();
  const dependents = new Map<string, S[]>();
  for (const step of steps) {
    if (step.deps.includes(step.id)) throw new Error(`plan step ${step.id} depends on itself`);
    const known = new Set(step.deps.filter((d) => ids.has(d)));
    pending.set(step.id, known.size);
    for (const dep of known) {
      const list = dependents.get(dep);
      if (list) list.push(step);
      else dependents.set(dep, [step]);
    }
  }
  const ready = steps.filter((s) => pending.get(s.id) === 0);
  const order: S[] = [];
  for (let i = 0; i < ready.length; i++) {
    const step = ready[i]!;
    order.push(step);
    for (const next of dependents.get(step.id) ?? []) {
      const left = pending.get(next.id)! - 1;
      pending.set(next.id, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < steps.length) {
    const stuck = steps.filter((s) => pending.get(s.id)! > 0).map((s) => s.id);
    throw new Error(`plan has a dependency cycle among steps: ${stuck.slice(0, 10).join(', ')}`);
  }
  return order;
}
