import { builderFlags, printBuildLog } from '../builder/print-log.js';
import { defineCommand } from './command.js';

/** `gitops logs <pipelineId> [-f]`: a pipeline's build log, from the builder. */
export const logsCommand = defineCommand({
  command: 'logs <pipelineId>',
  describe: "print a pipeline's build log; -f follows it until the build ends",
  flags: (yargs) =>
    yargs
      .positional('pipelineId', {
        type: 'string',
        demandOption: true,
        describe: 'the pipeline (as tail prints it)',
      })
      .option('follow', { alias: 'f', type: 'boolean', describe: 'keep printing until the build ends' })
      .options(builderFlags)
      .example('$0 logs hello-3f2a9c0d1e4b -f', 'watch a build as it runs'),
  run: async (args, io) =>
    printBuildLog(
      {
        builderUrl: args.builderUrl,
        token: args.token,
        pipelineId: args.pipelineId,
        follow: args.follow === true,
      },
      io,
    ),
});
