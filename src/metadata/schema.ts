// Validates what the pipeline writes against the versioned JSON Schemas in
// assets/schema. The validators are compiled ahead of time (generated/,
// by scripts/gen-validators.mjs), so no schema is compiled at run time.
import { join } from 'node:path';
import { plan, record, type Validator } from '../generated/validators.js';
import { assetsDir } from '../util/assets-dir.js';

export type SchemaName = 'record' | 'plan';

const VALIDATORS: Record<SchemaName, Validator> = { record, plan };

export function schemaPath(name: SchemaName): string {
  return join(assetsDir(), 'schema', `${name}.v1.schema.json`);
}

/** Errors as readable lines; empty when valid. */
export function validate(name: SchemaName, value: unknown): string[] {
  const v = VALIDATORS[name];
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${name}${e.instancePath || ''}: ${e.message ?? 'invalid'}`);
}
