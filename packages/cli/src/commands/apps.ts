import { appArgument, outputFlag } from '../flags.js';
import { println } from '../io.js';
import { type ReconcilerArgs, reconcilerApi, reconcilerFlags } from '../reconciler/client.js';
import { type AppStatus, appDetail, appsTable } from '../reconciler/status-text.js';
import { defineCommand } from './command.js';

/** `gitops apps`: every application environment's sync status and health, from the reconciler. */
export const appsCommand = defineCommand<ReconcilerArgs & { output: 'text' | 'json' }>({
  command: 'apps',
  describe: "every application's sync status and health, per environment",
  flags: (yargs) => yargs.options({ ...reconcilerFlags, output: outputFlag }),
  run: async (args, io) => {
    const { apps } = await reconcilerApi(args, io).request<{ apps: AppStatus[] }>('GET', 'api/v1/apps');
    if (args.output === 'json') println(io.stdout, JSON.stringify(apps, null, 2));
    else for (const line of appsTable(apps)) println(io.stdout, line);
    return 0;
  },
});

/** `gitops app <name>`: one application's environments, resources and drift. */
export const appCommand = defineCommand<ReconcilerArgs & { name: string; output: 'text' | 'json' }>({
  command: 'app <name>',
  describe: "one application's status: each environment's resources, health and drift",
  flags: (yargs) => yargs.positional('name', appArgument).options({ ...reconcilerFlags, output: outputFlag }),
  run: async (args, io) => {
    const app = await reconcilerApi(args, io).request<AppStatus>(
      'GET',
      `api/v1/apps/${encodeURIComponent(args.name)}`,
    );
    if (args.output === 'json') println(io.stdout, JSON.stringify(app, null, 2));
    else for (const line of appDetail(app)) println(io.stdout, line);
    return 0;
  },
});
