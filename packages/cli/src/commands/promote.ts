import { appArgument } from '../flags.js';
import { println } from '../io.js';
import { updaterApi, updaterFlags } from '../updater/api.js';
import { defineCommand } from './command.js';

interface Approved {
  environment: string;
  image: string;
  from: string;
  by: string;
  configCommit: string;
}

/** `gitops promote <app> --to <env>`: approves the promotion waiting for the environment. */
export const promoteCommand = defineCommand({
  command: 'promote <app>',
  describe: 'approve the promotion waiting for an environment; the token name is the approver',
  flags: (yargs) =>
    yargs
      .positional('app', appArgument)
      .option('to', { type: 'string', demandOption: true, requiresArg: true, describe: 'the environment' })
      .option('reason', {
        type: 'string',
        requiresArg: true,
        describe: 'why, recorded in promotion.approved',
      })
      .options(updaterFlags)
      .example('$0 promote hello --to prod --reason "release 42"', 'approve what waits for prod'),
  run: async (args, io) => {
    const body = { to: args.to, ...(args.reason ? { reason: args.reason } : {}) };
    const approved = await updaterApi(args, io).request<Approved>(
      'POST',
      `api/v1/apps/${encodeURIComponent(args.app)}/promotions`,
      body,
    );
    println(
      io.stdout,
      `promoted ${approved.image} from ${approved.from} to ${approved.environment} (approved by ${approved.by}): config commit ${approved.configCommit}`,
    );
    return 0;
  },
});
