// Entry of the action's main step (action.yml `runs.main`).
import { run } from './host/action-main.js';

await run();
// Exit now: a cache request that timed out may still hold the event loop open.
process.exit();
