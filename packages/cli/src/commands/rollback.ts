import { appArgument, environmentFlag } from '../flags.js';
import { println } from '../io.js';
import {
  type ReconcilerArgs,
  environmentQuery,
  reconcilerApi,
  reconcilerFlags,
} from '../reconciler/client.js';
import { defineCommand } from './command.js';

const SHA = /^[0-9a-f]{40}$/;

/** `gitops rollback <app> --to <commit>`: a revert commit in the config repository (bearer token). */
export const rollbackCommand = defineCommand<
  ReconcilerArgs & { app: string; to: string; environment?: string; reason?: string }
>({
  command: 'rollback <app>',
  describe: 'roll an environment back to a config commit, through a revert commit in Git (needs a token)',
  flags: (yargs) =>
    yargs
      .positional('app', appArgument)
      .option('to', {
        type: 'string',
        requiresArg: true,
        demandOption: true,
        describe: 'the config commit (full sha) to go back to',
      })
      .option('environment', environmentFlag)
      .option('reason', {
        type: 'string',
        requiresArg: true,
        describe: 'recorded in the commit and the event',
      })
      .check((argv) => {
        if (!SHA.test(String(argv.to))) throw new Error('--to must be a full 40-character commit sha');
        return true;
      })
      .options(reconcilerFlags),
  run: async (args, io) => {
    const path = `api/v1/apps/${encodeURIComponent(args.app)}/rollback${environmentQuery(args.environment)}`;
    const body = { to: args.to, ...(args.reason ? { reason: args.reason } : {}) };
    const answer = await reconcilerApi(args, io).request<{
      configCommit: string;
      image: string;
      environment: string;
    }>('POST', path, body);
    println(
      io.stdout,
      `rolled ${args.app} ${answer.environment} back to ${args.to.slice(0, 12)} with commit ${answer.configCommit.slice(0, 12)}; quarantined ${answer.image}`,
    );
    return 0;
  },
});
