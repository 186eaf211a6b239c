import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SourceReceived, validationIssues } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { expect } from 'vitest';
import type { Delivery, ProviderName, Push, WebhookRequest } from '../types.js';

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);

/** The bytes of `test/fixtures/<path>`. */
export const fixtureBytes = (path: string): Buffer => readFileSync(new URL(path, FIXTURES));

export const fixtureJson = (path: string): Record<string, unknown> =>
  JSON.parse(fixtureBytes(path).toString('utf8'));

/** The fields of a GitHub example payload these tests read; the catalogues hold every event, so most are optional. */
export interface GithubExample {
  [field: string]: unknown;
  ref: string;
  before: string;
  after: string;
  deleted?: boolean;
  pusher: { name: string; email: string | null };
  head_commit: {
    id: string;
    message: string;
    timestamp: string;
    author: { name: string; email: string };
  } | null;
  repository?: { clone_url: string; ssh_url: string; html_url: string };
}

// Every catalogue @octokit/webhooks-examples ships: github.com and each GitHub Enterprise Server version.
const octokitDir = dirname(createRequire(import.meta.url).resolve('@octokit/webhooks-examples/package.json'));
export const githubCatalogues = readdirSync(octokitDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map(
    (entry) =>
      JSON.parse(readFileSync(join(octokitDir, entry.name, 'index.json'), 'utf8')) as {
        name: string;
        examples: GithubExample[];
      }[],
  );

/** Every example payload of a GitHub event, across the catalogues. */
export const githubExamples = (event: string): GithubExample[] =>
  githubCatalogues.flatMap((catalogue) => catalogue.find((d) => d.name === event)?.examples ?? []);

export function request(
  body: Buffer | string | object,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): WebhookRequest {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const lower = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { headers: lower, body: bytes, contentType };
}

/** The push a delivery carries, after checking it is one and that it fits the source.received contract. */
export function expectPush(delivery: Delivery, provider: ProviderName): Push {
  if (delivery.kind !== 'push') throw new Error(`expected a push, got ignored: ${delivery.reason}`);
  const { push } = delivery;
  const data = {
    ...push,
    pipelineId: 'p-1',
    app: 'hello',
    commit: push.after,
    provider,
    repoURL: push.repoURLs[0],
  };
  expect(validationIssues(SourceReceived, data)).toEqual([]);
  return push;
}

export function expectIgnored(delivery: Delivery, reason: string): Extract<Delivery, { kind: 'ignored' }> {
  if (delivery.kind !== 'ignored')
    throw new Error(`expected ignored (${reason}), got a push of ${delivery.push.ref}`);
  expect(delivery.reason).toBe(reason);
  return delivery;
}

/** The AppError `fn` throws; fails the test when it returns or throws anything else. */
export function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, but nothing was thrown');
}
