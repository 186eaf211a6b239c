// Starts two process groups as the builder starts its steps, guards one and releases the other as
// after its exit, prints `guarded <shell> <background child>` and `released <pid>`, then waits to
// be killed: the test kills it with SIGKILL and looks at which of them died with it.
// Run with `node --import tsx` and TSX_TSCONFIG_PATH pointing at tsconfig.check.json (@gitops/* paths).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { guardProcessGroup } from '../orphan-guard.js';

const start = (command: string) =>
  spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
const firstLine = async (child: ReturnType<typeof start>) =>
  String((await once(child.stdout, 'data'))[0]).trim();

const guarded = start('sleep 300 & echo "$$ $!"; wait');
guardProcessGroup(guarded.pid);
const released = start('echo "$$"; exec sleep 300');
guardProcessGroup(released.pid)();
process.stdout.write(`guarded ${await firstLine(guarded)}\nreleased ${await firstLine(released)}\n`);
setInterval(() => undefined, 60_000);
