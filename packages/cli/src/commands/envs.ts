import { appArgument, outputFlag } from '../flags.js';
import { println } from '../io.js';
import { updaterApi, updaterFlags } from '../updater/api.js';
import { defineCommand } from './command.js';

interface EnvironmentView {
  name: string;
  branch: string;
  path: string;
  promotion: string;
  digest: string | null;
  configCommit: string;
  waiting: { from: string; image: string; requestedAt: string } | null;
}

const short = (value: string | null, n: number) => (value ? value.slice(0, n) : '-');

/** One line per environment: what it runs, where, and what waits to come in. */
export function environmentLines(environments: EnvironmentView[]): string[] {
  const header = ['ENVIRONMENT', 'PROMOTION', 'DIGEST', 'CONFIG COMMIT', 'WAITING'];
  const rows = environments.map((env) => [
    env.name,
    env.promotion,
    short(env.digest, 19),
    short(env.configCommit, 12),
    env.waiting ? `${env.waiting.image.split('@')[1]?.slice(0, 19)} from ${env.waiting.from}` : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

/** `gitops envs <app>`: each environment's digest and config commit, and what waits for promotion. */
export const envsCommand = defineCommand({
  command: 'envs <app>',
  describe: "show an application's environments: digest, config commit, promotions waiting",
  flags: (yargs) =>
    yargs
      .positional('app', appArgument)
      .option('output', outputFlag)
      .options(updaterFlags)
      .example('$0 envs hello', 'what runs where'),
  run: async (args, io) => {
    const answer = await updaterApi(args, io).request<{ environments: EnvironmentView[] }>(
      'GET',
      `api/v1/apps/${encodeURIComponent(args.app)}/environments`,
    );
    if (args.output === 'json') println(io.stdout, JSON.stringify(answer, null, 2));
    else for (const line of environmentLines(answer.environments)) println(io.stdout, line);
    return 0;
  },
});
