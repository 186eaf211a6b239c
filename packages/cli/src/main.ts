#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { env, loadConfig } from '@gitops/config';
import { tail } from './commands/tail.js';
import { validate } from './commands/validate.js';

const USAGE = `usage: gitops <command> [options]
  validate [file]                  check the application file (default: $GITOPS_APPS or ./gitops.yaml)
  tail [subject] [--from-start] [--count N] [--until image.pushed,build.failed] [--timeout 30s] [--json]
                                   follow events, e.g. 'hello.>' or '*.deploy.>' (default: all)
environment: NATS_URL (default nats://127.0.0.1:4222), GITOPS_APPS`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'from-start': { type: 'boolean', default: false },
    count: { type: 'string' },
    until: { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

async function run(): Promise<number> {
  const [command, argument] = positionals;
  const config = loadConfig(
    {
      NATS_URL: env.urls('nats://127.0.0.1:4222', ['nats:', 'tls:']),
      GITOPS_APPS: env.string('./gitops.yaml'),
      TIMEOUT: env.duration('0'),
      COUNT: env.int(0),
    },
    { ...process.env, TIMEOUT: values.timeout, COUNT: values.count },
  );
  switch (command) {
    case 'validate':
      return validate(argument ?? config.GITOPS_APPS);
    case 'tail':
      return tail({
        servers: config.NATS_URL,
        subject: argument ?? '>',
        fromStart: values['from-start'],
        count: config.COUNT || undefined,
        until: values.until?.split(',').map((name) => name.trim()),
        timeoutMs: config.TIMEOUT || undefined,
        json: values.json,
      });
    default:
      console.log(USAGE);
      return values.help ? 0 : 2;
  }
}

run().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`gitops: ${err.message}`);
    process.exit(1);
  },
);
