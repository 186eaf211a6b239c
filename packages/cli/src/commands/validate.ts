import { type Application, env, loadApplications } from '@gitops/config';
import { paintFor } from '../colour.js';
import { envFlag, flagValue, outputFlag } from '../flags.js';
import { println } from '../io.js';
import { UsageError } from '../usage.js';
import { defineCommand } from './command.js';

const summary = (app: Application) =>
  `${app.source.repoURL} [${app.source.branches.join(', ')}] -> ${app.image.repository}, ${app.config.repoURL} ${app.config.path} -> namespace ${app.destination.namespace}`;

/** `gitops validate [file]`: loads the application file the way every service does. */
export const validateCommand = defineCommand({
  command: 'validate [file]',
  describe: 'check an application file and list its applications',
  flags: (yargs) =>
    yargs
      .positional('file', { type: 'string', describe: 'the application file (same as --apps)' })
      .option('apps', envFlag('the application file', 'GITOPS_APPS', './gitops.yaml'))
      .option('output', outputFlag)
      .example('$0 validate infra/gitops.yaml', 'check one file')
      .example('$0 validate -o json', 'print $GITOPS_APPS (or ./gitops.yaml) as JSON'),
  run: async (args, io) => {
    if (args.file !== undefined && args.apps !== undefined) {
      throw new UsageError('give the file either as an argument or as --apps, not both');
    }
    const file = flagValue('apps', args.file ?? args.apps, env.string('./gitops.yaml'), io, 'GITOPS_APPS');
    const apps = loadApplications(file);
    if (args.output === 'json') {
      println(io.stdout, JSON.stringify(apps, null, 2));
      return 0;
    }
    const paint = paintFor(io.stdout, io.env, args.color);
    for (const app of apps) println(io.stdout, `${paint.bold(app.name)}: ${summary(app)}`);
    println(io.stdout, `${file}: ${apps.length} application(s), ${paint.green('valid')}`);
    return 0;
  },
});
