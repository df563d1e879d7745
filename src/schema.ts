// Validates what the pipeline writes against the versioned JSON Schemas in
// assets/schema, so a consumer of metadata-dir can rely on them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { assetsDir } from './assets-dir.js';

export type SchemaName = 'record' | 'plan';

const compiled = new Map<SchemaName, ValidateFunction>();

export function schemaPath(name: SchemaName): string {
  return join(assetsDir(), 'schema', `${name}.v1.schema.json`);
}

function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    v = ajv.compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')));
    compiled.set(name, v);
  }
  return v;
}

/** Errors as readable lines; empty when valid. */
export function validate(name: SchemaName, value: unknown): string[] {
  const v = validator(name);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${name}${e.instancePath || ''}: ${e.message ?? 'invalid'}`);
}
