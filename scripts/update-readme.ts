// Rewrites the README's inputs and outputs tables from action.yml (a test keeps them equal).
import { readFileSync, writeFileSync } from 'node:fs';
import { updateReadmeTables } from '../src/report/inputs-table.js';

writeFileSync(
  'README.md',
  updateReadmeTables(readFileSync('README.md', 'utf8'), readFileSync('action.yml', 'utf8')),
);
