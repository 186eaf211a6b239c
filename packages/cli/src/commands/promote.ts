import { envFlag, flagValue, httpUrl } from '../flags.js';
import { println } from '../io.js';
import { callUpdater, tokenOf } from '../updater/api.js';
import { defineCommand } from './command.js';

const DEFAULT_URL = 'http://127.0.0.1:8094';

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
      .positional('app', { type: 'string', demandOption: true, describe: 'the application' })
      .option('to', { type: 'string', demandOption: true, requiresArg: true, describe: 'the environment' })
      .option('reason', {
        type: 'string',
        requiresArg: true,
        describe: 'why, recorded in promotion.approved',
      })
      .option(
        'updater-url',
        envFlag("the config updater's HTTP address", 'GITOPS_CONFIG_UPDATER_URL', DEFAULT_URL),
      )
      .option('token', envFlag("a token of the config updater's GITOPS_API_TOKENS_FILE", 'GITOPS_TOKEN'))
      .example('$0 promote hello --to prod --reason "release 42"', 'approve what waits for prod'),
  run: async (args, io) => {
    const url = flagValue(
      'updater-url',
      args.updaterUrl,
      httpUrl(DEFAULT_URL),
      io,
      'GITOPS_CONFIG_UPDATER_URL',
    );
    const body = { to: args.to, ...(args.reason ? { reason: args.reason } : {}) };
    const approved = await callUpdater<Approved>(
      { url, token: tokenOf(args.token, io.env) },
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
