// action.yml and src/inputs.ts agree: every declared input has the default
// INPUT_DEFAULTS gives it (the runner sets declared inputs from action.yml,
// the CLI from INPUT_DEFAULTS), and every declared output is one the pipeline sets.
import { INPUT_DEFAULTS } from '../src/inputs.js';
import { OUTPUT_NAMES } from '../src/pipeline/outcome.js';
import { actionYml } from './support/run-action.js';

const yml = actionYml();
const declared = Object.entries(yml.inputs ?? {});

test('action.yml declares the inputs issue 2 needs', () => {
  const names = declared.map(([n]) => n);
  for (const n of [
    'source-dir',
    'command',
    'toolchain',
    'config-template',
    'config',
    'mode',
    'metadata-dir',
    'github-token',
  ])
    expect(names).toContain(n);
});

test.each(declared)('input %s: its default agrees with INPUT_DEFAULTS', (name, spec) => {
  expect(Object.keys(INPUT_DEFAULTS)).toContain(name);
  const dflt = spec.default === undefined ? '' : String(spec.default);
  if (name === 'github-token') {
    // The runner evaluates the expression; the CLI has no token.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template
    expect(dflt).toBe('${{ github.token }}');
    expect(INPUT_DEFAULTS[name]).toBe('');
  } else {
    expect(INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]).toBe(dflt);
  }
});

test('every input has a description; none is required (each has a default)', () => {
  for (const [name, spec] of declared) {
    const s = spec as { description?: string; required?: boolean };
    expect([name, typeof s.description]).toEqual([name, 'string']);
    expect([name, s.required ?? false]).toEqual([name, false]);
  }
});

test('the declared outputs are exactly the ones the pipeline sets', () => {
  const names = Object.keys(yml.outputs ?? {}).sort();
  expect(names.length).toBeGreaterThan(0);
  expect(names).toEqual([...OUTPUT_NAMES].sort());
});
