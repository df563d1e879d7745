// The README's inputs and outputs tables, rendered from action.yml so that a
// test can keep the two equal. The README holds each table between markers:
//   <!-- inputs:start --> … <!-- inputs:end -->
//   <!-- outputs:start --> … <!-- outputs:end -->
import { parse } from 'yaml';

interface ActionInput {
  description?: string;
  default?: unknown;
  required?: boolean;
  deprecationMessage?: string;
}

interface ActionMetadata {
  inputs?: Record<string, ActionInput | null>;
  outputs?: Record<string, { description?: string } | null>;
}

export type TableName = 'inputs' | 'outputs';

export function renderInputsTable(actionYml: string): string {
  const rows = Object.entries(metadata(actionYml).inputs ?? {}).map(([name, input]) => {
    const fallback = input?.required ? 'required' : '';
    const value =
      input?.default === undefined || input.default === null ? '' : String(input.default);
    const deprecated = input?.deprecationMessage
      ? ` **Deprecated:** ${input.deprecationMessage}`
      : '';
    return [
      code(name),
      value === '' ? fallback : code(value),
      `${input?.description ?? ''}${deprecated}`,
    ];
  });
  return table(['input', 'default', 'description'], rows);
}

export function renderOutputsTable(actionYml: string): string {
  const rows = Object.entries(metadata(actionYml).outputs ?? {}).map(([name, output]) => [
    code(name),
    output?.description ?? '',
  ]);
  return table(['output', 'description'], rows);
}

export function renderTable(name: TableName, actionYml: string): string {
  return name === 'inputs' ? renderInputsTable(actionYml) : renderOutputsTable(actionYml);
}

const start = (name: TableName) => `<!-- ${name}:start -->`;
const end = (name: TableName) => `<!-- ${name}:end -->`;

/** What the README holds between a table's markers, or null without both markers. */
export function betweenMarkers(readme: string, name: TableName): string | null {
  const from = readme.indexOf(start(name));
  const to = readme.indexOf(end(name), from);
  return from < 0 || to < 0 ? null : readme.slice(from + start(name).length, to);
}

/** The exact text that belongs between a table's markers. */
export function markerContent(name: TableName, actionYml: string): string {
  return `\n${renderTable(name, actionYml)}`;
}

/** The README with both tables brought up to date (for the lead's release routine or a script). */
export function updateReadmeTables(readme: string, actionYml: string): string {
  let out = readme;
  for (const name of ['inputs', 'outputs'] as const) {
    if (betweenMarkers(out, name) === null) {
      throw new Error(`README has no ${start(name)} … ${end(name)} markers`);
    }
    const from = out.indexOf(start(name)) + start(name).length;
    out = `${out.slice(0, from)}${markerContent(name, actionYml)}${out.slice(out.indexOf(end(name), from))}`;
  }
  return out;
}

function metadata(actionYml: string): ActionMetadata {
  const parsed: unknown = parse(actionYml);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('action.yml is not a mapping');
  return parsed as ActionMetadata;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |\n`;
  return line(header) + line(header.map(() => '---')) + rows.map(line).join('');
}

/** One line, pipes escaped: Markdown tables allow nothing else in a cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

/** An inline code span that survives backticks in the value. */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
