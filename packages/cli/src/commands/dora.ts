import { appArgument, outputFlag } from '../flags.js';
import { println } from '../io.js';
import { getMetrics, metricsFlags } from '../metrics/client.js';
import { type DoraEnvironment, doraLines } from '../metrics/format.js';
import { defineCommand } from './command.js';

/** `gitops dora <app>`: the DORA metrics of an application per environment. */
export const doraCommand = defineCommand({
  command: 'dora <app>',
  describe: "print an application's DORA metrics per environment, with their performance levels",
  flags: (yargs) =>
    yargs
      .positional('app', appArgument)
      .option('days', { type: 'number', default: 30, describe: 'the range: this many days up to now' })
      .option('output', outputFlag)
      .options(metricsFlags),
  run: async (args, io) => {
    const to = new Date();
    const from = new Date(to.getTime() - args.days * 86_400_000);
    const query = new URLSearchParams({ app: args.app, from: from.toISOString(), to: to.toISOString() });
    const dora = await getMetrics<{ environments: DoraEnvironment[] }>(
      args,
      `/api/v1/metrics/dora?${query}`,
      io,
    );
    if (args.output === 'json') println(io.stdout, JSON.stringify(dora, null, 2));
    else for (const line of doraLines(dora.environments)) println(io.stdout, line);
    return 0;
  },
});
