import { appArgument, environmentFlag } from '../flags.js';
import { println } from '../io.js';
import {
  type ReconcilerArgs,
  environmentQuery,
  reconcilerApi,
  reconcilerFlags,
} from '../reconciler/client.js';
import { defineCommand } from './command.js';

/** `gitops sync <app>`: a sync now (bearer token). */
export const syncCommand = defineCommand<ReconcilerArgs & { app: string; environment?: string }>({
  command: 'sync <app>',
  describe: 'sync an application environment with Git now (needs a token)',
  flags: (yargs) =>
    yargs.positional('app', appArgument).option('environment', environmentFlag).options(reconcilerFlags),
  run: async (args, io) => {
    const path = `api/v1/apps/${encodeURIComponent(args.app)}/sync${environmentQuery(args.environment)}`;
    const answer = await reconcilerApi(args, io).request<{ environment: string }>('POST', path);
    println(
      io.stdout,
      `sync of ${args.app} ${answer.environment} started (gitops app ${args.app} shows its outcome)`,
    );
    return 0;
  },
});
