import { printBuildLog } from '../builder/print-log.js';
import { envFlag, flagValue, httpUrl } from '../flags.js';
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
      .option(
        'builder-url',
        envFlag("the builder's HTTP address", 'GITOPS_BUILDER_URL', 'http://127.0.0.1:8092'),
      )
      .option('token', envFlag("a token of the builder's GITOPS_API_TOKENS_FILE", 'GITOPS_API_TOKEN'))
      .example('$0 logs hello-3f2a9c0d1e4b -f', 'watch a build as it runs'),
  run: async (args, io) =>
    printBuildLog(
      {
        builderUrl: flagValue(
          'builder-url',
          args.builderUrl,
          httpUrl('http://127.0.0.1:8092'),
          io,
          'GITOPS_BUILDER_URL',
        ),
        pipelineId: args.pipelineId,
        follow: args.follow === true,
        token: args.token?.trim() || io.env.GITOPS_API_TOKEN?.trim() || undefined,
      },
      io.stdout,
    ),
});
