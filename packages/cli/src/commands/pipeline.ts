import { paintFor } from '../colour.js';
import { outputFlag } from '../flags.js';
import { println } from '../io.js';
import { getMetrics, metricsFlags } from '../metrics/client.js';
import { type PipelineSummary, type StageView, timelineLines } from '../metrics/format.js';
import { defineCommand } from './command.js';

/** `gitops pipeline <id>`: one pipeline's timeline in the terminal. */
export const pipelineCommand = defineCommand({
  command: 'pipeline <id>',
  describe: "print a pipeline's timeline: every stage with its start, duration and outcome",
  flags: (yargs) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'the pipeline id' })
      .option('output', outputFlag)
      .options(metricsFlags)
      .example('$0 pipeline hello-3f2a9c0d1e4b', 'source to deploy, stage by stage'),
  run: async (args, io) => {
    const pipeline = await getMetrics<PipelineSummary & { stages: StageView[] }>(
      args,
      `/api/v1/pipelines/${encodeURIComponent(args.id)}`,
      io,
    );
    if (args.output === 'json') {
      println(io.stdout, JSON.stringify(pipeline, null, 2));
      return 0;
    }
    const paint = paintFor(io.stdout, io.env, args.color);
    println(
      io.stdout,
      paint.bold(
        `${pipeline.id}  ${pipeline.app} ${pipeline.branch ?? ''} ${pipeline.commit?.slice(0, 7) ?? ''}  ${pipeline.status}`,
      ),
    );
    for (const line of timelineLines(pipeline.stages, paint)) println(io.stdout, line);
    return pipeline.status === 'failed' ? 1 : 0;
  },
});
