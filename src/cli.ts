#!/usr/bin/env node
// The CLI entry: `rust-bootstrap-nix <emit|build|run|publish> [--<input> value ...]`.
import { main } from './host/cli-main.js';

process.exitCode = await main(process.argv.slice(2), process.env);
