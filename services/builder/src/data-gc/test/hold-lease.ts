// Holds a lease on data directory entries from a process of its own, as the image pusher or another
// builder replica would, until SIGTERM. Arguments: the data directory, then the entries.
// Run with `node --import tsx` and TSX_TSCONFIG_PATH pointing at tsconfig.check.json (@gitops/* paths).
import { DataLeases } from '@gitops/fs';

const [root, ...entries] = process.argv.slice(2);
const lease = await new DataLeases(root!).hold(entries);
process.on('SIGTERM', () => {
  void lease.release().then(() => process.exit(0));
});
// The lease's own heartbeat timer does not keep a process alive.
setInterval(() => undefined, 60_000);
process.stdout.write('held\n');
