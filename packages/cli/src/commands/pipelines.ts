import { paintFor } from '../colour.js';
import { outputFlag } from '../flags.js';
import { println } from '../io.js';
import { getMetrics, metricsFlags } from '../metrics/client.js';
import { type PipelineSummary, pipelineLines } from '../metrics/format.js';
import { defineCommand } from './command.js';

/** `gitops pipelines [--app]`: the newest pipelines, from the metrics service. */
export const pipelinesCommand = defineCommand({
  command: 'pipelines',
  describe: 'list the newest pipelines with their status and current stage',
  flags: (yargs) =>
    yargs
      .option('app', { type: 'string', requiresArg: true, describe: 'only this application' })
      .option('limit', { type: 'number', default: 20, describe: 'how many (1 to 500)' })
      .option('output', outputFlag)
      .options(metricsFlags)
      .example('$0 pipelines --app hello', "hello's latest pipelines"),
  run: async (args, io) => {
    const query = new URLSearchParams({ limit: String(args.limit) });
    if (args.app) query.set('app', args.app);
    const { pipelines } = await getMetrics<{ pipelines: PipelineSummary[] }>(
      args,
      `/api/v1/pipelines?${query}`,
      io,
    );
    if (args.output === 'json') println(io.stdout, JSON.stringify(pipelines, null, 2));
    else
      for (const line of pipelineLines(pipelines, paintFor(io.stdout, io.env, args.color)))
        println(io.stdout, line);
    return 0;
  },
});
