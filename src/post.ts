// Entry of the action's post step (action.yml `runs.post`): it must never fail the job.
import { runPost } from './host/action-post.js';

await runPost();
process.exit(0);
