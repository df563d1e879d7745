// The one stable order of what the build produced: by code unit, never by
// locale or by when it happened, so two runs of the same build agree.

/** Strings by code unit (what `Array.prototype.sort` does without a comparator). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Steps (or anything with an id) by id. */
export function byId(a: { id: string }, b: { id: string }): number {
  return byCodeUnits(a.id, b.id);
}
