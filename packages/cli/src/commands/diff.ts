import { appArgument, environmentFlag, outputFlag } from '../flags.js';
import { println } from '../io.js';
import {
  type ReconcilerArgs,
  environmentQuery,
  reconcilerApi,
  reconcilerFlags,
} from '../reconciler/client.js';
import { defineCommand } from './command.js';

interface DiffAnswer {
  app: string;
  environment: string;
  configCommit: string;
  cluster: { reachable: boolean; reason?: string };
  resources: Array<{ resource: string; action: string; diff: string }>;
  prune: Array<{ kind: string; namespace?: string; name: string; willPrune: boolean }>;
}

/** `gitops diff <app>`: what a sync would change, resource by resource; exit 1 when something would. */
export const diffCommand = defineCommand<
  ReconcilerArgs & { app: string; environment?: string; output: 'text' | 'json' }
>({
  command: 'diff <app>',
  describe: 'what a sync would change in the cluster, resource by resource (exit 1 when anything would)',
  flags: (yargs) =>
    yargs
      .positional('app', appArgument)
      .option('environment', environmentFlag)
      .options({ ...reconcilerFlags, output: outputFlag }),
  run: async (args, io) => {
    const path = `api/v1/apps/${encodeURIComponent(args.app)}/diff${environmentQuery(args.environment)}`;
    const answer = await reconcilerApi(args, io).request<DiffAnswer>('GET', path);
    const changed = answer.resources.filter((resource) => resource.action !== 'unchanged');
    if (args.output === 'json') println(io.stdout, JSON.stringify(answer, null, 2));
    else {
      println(io.stdout, `${answer.app} ${answer.environment} at config ${answer.configCommit.slice(0, 12)}`);
      if (!answer.cluster.reachable)
        println(io.stdout, `cluster unreachable (${answer.cluster.reason}): desired objects only`);
      for (const resource of changed) {
        println(io.stdout, `${resource.action} ${resource.resource}`);
        if (resource.diff) io.stdout.write(resource.diff);
      }
      for (const gone of answer.prune) {
        println(
          io.stdout,
          `${gone.willPrune ? 'prune' : 'orphaned (prune is off)'} ${gone.kind}/${gone.namespace ? `${gone.namespace}/` : ''}${gone.name}`,
        );
      }
      if (changed.length === 0 && answer.prune.length === 0) println(io.stdout, 'in sync');
    }
    return changed.length === 0 && answer.prune.length === 0 ? 0 : 1;
  },
});
