// Rewrites the step runner's step format block from src/nix/step-format.ts (a test keeps them equal).
import { readFileSync, writeFileSync } from 'node:fs';
import { withRunnerFormatBlock } from '../src/nix/step-format.js';

const runner = 'src/assets/nix/step-runner.sh';
writeFileSync(runner, withRunnerFormatBlock(readFileSync(runner, 'utf8')));
