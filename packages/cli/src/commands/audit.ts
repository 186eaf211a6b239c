import { paintFor } from '../colour.js';
import { outputFlag } from '../flags.js';
import { println } from '../io.js';
import { getMetrics, metricsFlags } from '../metrics/client.js';
import { defineCommand } from './command.js';

interface Verification {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; problem: string };
  checkpoint?: { throughSeq: number; prunedAt: string };
}

/** `gitops audit verify`: checks the compliance ledger's hash chain; exit 1 names the first broken record. */
export const auditCommand = defineCommand({
  command: 'audit <action>',
  describe: "check the compliance ledger's hash chain (audit verify)",
  flags: (yargs) =>
    yargs
      .positional('action', { choices: ['verify'] as const, demandOption: true, describe: 'verify' })
      .option('output', outputFlag)
      .options(metricsFlags),
  run: async (args, io) => {
    const result = await getMetrics<Verification>(args, '/api/v1/audit/verify', io);
    if (args.output === 'json') println(io.stdout, JSON.stringify(result, null, 2));
    else {
      const paint = paintFor(io.stdout, io.env, args.color);
      const since = result.checkpoint
        ? ` after the checkpoint of record ${result.checkpoint.throughSeq} (${result.checkpoint.prunedAt})`
        : '';
      println(
        io.stdout,
        result.ok
          ? paint.green(`ledger verified: ${result.checked} records${since}`)
          : paint.red(`ledger broken at record ${result.firstBroken?.seq}: ${result.firstBroken?.problem}`),
      );
    }
    return result.ok ? 0 : 1;
  },
});
