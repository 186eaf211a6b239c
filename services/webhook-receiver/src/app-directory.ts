import { type Application, tryNormaliseRepoUrl } from '@gitops/config';
import { branchMatcher } from './branch-glob.js';

/** An application as the receiver sees it: how to recognise its pushes and the secret that signs them. */
export interface WebhookTarget {
  app: Application;
  /** Undefined when neither the app's `secretEnv` nor WEBHOOK_SECRET gives one: every delivery is refused. */
  secret: string | undefined;
  acceptsBranch(branch: string): boolean;
}

export interface SecretProblem {
  app: string;
  problem: string;
}

/**
 * Resolves each application's webhook secret: its own `secretEnv` variable, else WEBHOOK_SECRET.
 * A missing secret is not fatal for the service (other applications keep working); it is reported
 * at start and every delivery for that application is refused (fail closed).
 */
export function resolveTargets(
  apps: Application[],
  env: NodeJS.ProcessEnv,
  fallbackSecret: string | undefined,
): { targets: WebhookTarget[]; problems: SecretProblem[] } {
  const problems: SecretProblem[] = [];
  const targets = apps.map((app) => {
    const own = app.webhook.secretEnv ? env[app.webhook.secretEnv]?.trim() || undefined : undefined;
    if (app.webhook.secretEnv && !own) {
      problems.push({
        app: app.name,
        problem: `${app.webhook.secretEnv} is not set${fallbackSecret ? '; using WEBHOOK_SECRET' : ''}`,
      });
    }
    const secret = own ?? fallbackSecret;
    if (!secret)
      problems.push({
        app: app.name,
        problem:
          'no webhook secret: every delivery will be refused (set WEBHOOK_SECRET or spec.webhook.secretEnv)',
      });
    return { app, secret, acceptsBranch: branchMatcher(app.source.branches) };
  });
  return { targets, problems };
}

/** Applications indexed by normalised repository URL; one repository may feed several applications. */
export class AppDirectory {
  private readonly byRepo = new Map<string, WebhookTarget[]>();
  private readonly byConfigRepo = new Map<string, WebhookTarget[]>();

  constructor(targets: WebhookTarget[]) {
    for (const target of targets) {
      add(this.byRepo, target.app.source.repoKey, target);
      add(this.byConfigRepo, target.app.config.repoKey, target);
    }
  }

  /** Every application whose repository is one of `repoURLs` (the forms a payload gives). */
  find(repoURLs: string[]): WebhookTarget[] {
    return keysOf(repoURLs).flatMap((key) => this.byRepo.get(key) ?? []);
  }

  /** Every application whose config repository is one of `repoURLs`: its pushes start a sync, not a build. */
  findConfig(repoURLs: string[]): WebhookTarget[] {
    return keysOf(repoURLs).flatMap((key) => this.byConfigRepo.get(key) ?? []);
  }
}

const keysOf = (repoURLs: string[]) => [
  ...new Set(repoURLs.map(tryNormaliseRepoUrl).filter((k): k is string => k !== undefined)),
];

function add(index: Map<string, WebhookTarget[]>, key: string, target: WebhookTarget): void {
  const list = index.get(key) ?? [];
  list.push(target);
  index.set(key, list);
}
