// `npm start`: the CLI over examples/, printing what it finds. Finding problems is the point
// of the demo, so exit status 1 (diagnostics with errors) counts as success here; 2 does not.
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['server/out/cli.js', 'check', 'examples'], { stdio: 'inherit' });
process.exit(result.status === 0 || result.status === 1 ? 0 : result.status ?? 1);
