// The README's inputs/outputs tables equal what action.yml declares.
import { existsSync, readFileSync } from 'node:fs';
import {
  betweenMarkers,
  markerContent,
  renderInputsTable,
  renderOutputsTable,
  updateReadmeTables,
} from '../src/report/inputs-table.js';

const root = new URL('..', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');

const sample = `
name: sample
inputs:
  source-dir:
    description: >-
      tree to build: a checkout
      or a workspace
    default: .
  github-token:
    description: for the check run | and more
    default: \${{ github.token }}
  sccache:
    description: run compiles through sccache
    default: true
  config:
    description: inline TOML
  name:
    description: needed
    required: true
  odd:
    description: old
    default: "a\`b"
    deprecationMessage: use name
outputs:
  steps:
    description: number of plan steps
  plan:
    description: path of plan.json
`;

test('renders the inputs table from action.yml', () => {
  expect(renderInputsTable(sample)).toBe(
    [
      '| input | default | description |',
      '| --- | --- | --- |',
      '| `source-dir` | `.` | tree to build: a checkout or a workspace |',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an Actions expression, not a template
      '| `github-token` | `${{ github.token }}` | for the check run \\| and more |',
      '| `sccache` | `true` | run compiles through sccache |',
      '| `config` |  | inline TOML |',
      '| `name` | required | needed |',
      '| `odd` | ``a`b`` | old **Deprecated:** use name |',
      '',
    ].join('\n'),
  );
});

test('renders the outputs table from action.yml', () => {
  expect(renderOutputsTable(sample)).toBe(
    [
      '| output | description |',
      '| --- | --- |',
      '| `steps` | number of plan steps |',
      '| `plan` | path of plan.json |',
      '',
    ].join('\n'),
  );
});

test('updateReadmeTables replaces only what is between the markers', () => {
  const readme = [
    '# x',
    '<!-- inputs:start -->',
    'stale',
    '<!-- inputs:end -->',
    'middle',
    '<!-- outputs:start --><!-- outputs:end -->',
    'tail',
    '',
  ].join('\n');
  const updated = updateReadmeTables(readme, sample);
  expect(betweenMarkers(updated, 'inputs')).toBe(markerContent('inputs', sample));
  expect(betweenMarkers(updated, 'outputs')).toBe(markerContent('outputs', sample));
  expect(updated.startsWith('# x\n<!-- inputs:start -->\n| input |')).toBe(true);
  expect(updated).toContain('<!-- inputs:end -->\nmiddle\n<!-- outputs:start -->\n| output |');
  expect(updated.endsWith('<!-- outputs:end -->\ntail\n')).toBe(true);
  expect(updateReadmeTables(updated, sample)).toBe(updated);
  expect(() => updateReadmeTables('# no markers\n', sample)).toThrow('<!-- inputs:start -->');
});

describe('README.md', () => {
  test.each(['inputs', 'outputs'] as const)('its %s table equals action.yml', (name) => {
    expect(existsSync(new URL('action.yml', root))).toBe(true);
    const readme = read('README.md');
    expect(betweenMarkers(readme, name)).toBe(markerContent(name, read('action.yml')));
  });
});
