import { env } from '@gitops/config';
import { eventNames } from '@gitops/contracts';
import { paintFor } from '../colour.js';
import { type OutputFormat, envFlag, flagValue, outputFlag } from '../flags.js';
import { type Io, println } from '../io.js';
import { natsOptionsFrom } from '../nats/connect.js';
import { formatEvent, jsonLine } from '../nats/format-event.js';
import { type TailOptions, exitCodeOf, tailEvents } from '../nats/tail-events.js';
import { UsageError } from '../usage.js';
import { defineCommand } from './command.js';

const APP_NAME = /^[^.*>\s]+$/;

function untilEvents(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(eventNames as string[]).includes(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `--until must be event names such as image.pushed,build.failed (unknown: ${unknown.join(', ')})`,
    );
  }
  return names;
}

function subjectOf(subject: string | undefined, app: string | undefined): string {
  if (subject !== undefined && app !== undefined) {
    throw new UsageError('give either a subject or --app, not both');
  }
  if (app === undefined) return subject ?? '>';
  if (!APP_NAME.test(app)) throw new UsageError(`--app must be an application name (got "${app}")`);
  return `${app}.>`;
}

interface TailArgs {
  subject?: string;
  app?: string;
  pipeline?: string;
  fromStart?: boolean;
  count?: string;
  until?: string;
  timeout?: string;
  natsUrl?: string;
  output: OutputFormat;
  json?: boolean;
  color?: boolean;
}

/** The tail's options from its flags; a bad value is a usage error naming its flag. */
function tailOptions(args: TailArgs, io: Io): TailOptions {
  const json = args.output === 'json' || args.json === true;
  const paint = paintFor(io.stdout, io.env, args.color);
  const natsUrls = env.urls('nats://127.0.0.1:4222', ['nats:', 'tls:']);
  return {
    nats: natsOptionsFrom(flagValue('nats-url', args.natsUrl, natsUrls, io, 'NATS_URL'), io.env),
    subject: subjectOf(args.subject, args.app),
    fromStart: args.fromStart === true,
    count:
      args.count === undefined ? undefined : flagValue('count', args.count, env.int(undefined, 1, 1e9), io),
    until: untilEvents(args.until),
    timeoutMs:
      args.timeout === undefined ? undefined : flagValue('timeout', args.timeout, env.duration('0'), io),
    pipelineId: args.pipeline,
    print: (subject, data) =>
      println(io.stdout, json ? jsonLine(subject, data) : formatEvent(subject, data, paint)),
  };
}

/** `gitops tail`: prints the platform's events as they happen, or as stored. */
export const tailCommand = defineCommand({
  command: 'tail [subject]',
  describe: 'follow events of the GITOPS stream',
  flags: (yargs) =>
    yargs
      .positional('subject', {
        type: 'string',
        describe: 'events under gitops.v1., such as hello.> or *.build.failed [default: all]',
      })
      .option('app', { type: 'string', requiresArg: true, describe: "only this application's events" })
      .option('pipeline', { type: 'string', requiresArg: true, describe: "only this pipeline's events" })
      .option('from-start', { type: 'boolean', describe: 'begin at the oldest stored event, not now' })
      .option('count', { type: 'string', requiresArg: true, describe: 'stop after this many events' })
      .option('until', {
        type: 'string',
        requiresArg: true,
        describe: 'stop at the first of these events, comma separated; exit 1 when it is a *.failed one',
      })
      .option('timeout', {
        type: 'string',
        requiresArg: true,
        describe: 'give up after this long (500ms, 30s, 5m) and exit 1',
      })
      .option(
        'nats-url',
        envFlag(
          'NATS server(s), comma separated; nats://user:password@host authenticates, as do NATS_CREDS and NATS_TOKEN',
          'NATS_URL',
          'nats://127.0.0.1:4222',
        ),
      )
      .option('output', outputFlag)
      .option('json', { type: 'boolean', hidden: true, describe: 'same as -o json' })
      .example('$0 tail --app hello --until image.pushed,build.failed', "hello's next push, to its end")
      .example('$0 tail "*.build.failed" -o json', 'every failed build from now on, as JSON lines'),
  run: async (args, io) => {
    const options = tailOptions(args, io);
    const outcome = await tailEvents(options);
    if (outcome.timedOut) {
      println(io.stderr, `gitops tail: --timeout ${args.timeout} passed after ${outcome.seen} event(s)`);
    }
    return exitCodeOf(outcome, options);
  },
});
