// TOML as smol-toml parses it: a table is a plain object (not an array, not a date).
export function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
