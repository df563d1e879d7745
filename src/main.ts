// Entry of the action's main step (action.yml `runs.main`).
import { run } from './run.js';

await run();
