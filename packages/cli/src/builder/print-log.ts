import { ApiError, apiClient, apiFlags, reason, serviceApi } from '../api/client.js';
import type { Io } from '../io.js';

const BUILDER = serviceApi('builder', 'builder-url', 'GITOPS_BUILDER_URL', 8092);

/** The flags of `gitops logs` that find the builder's API (docs/builder.md). */
export const builderFlags = apiFlags(BUILDER);

export interface PrintLogArgs {
  builderUrl?: string | undefined;
  token?: string | undefined;
  pipelineId: string;
  /** Keep printing as the log grows, until the build ends (the builder's `?follow=1`). */
  follow: boolean;
}

/**
 * Copies a pipeline's build log from the builder's HTTP API to stdout, as it arrives. Errors say
 * what failed in one line; a 404 means the builder knows no log of that pipeline.
 */
export async function printBuildLog(args: PrintLogArgs, io: Io): Promise<number> {
  const api = apiClient(BUILDER, { url: args.builderUrl, token: args.token }, io);
  const path = `api/v1/builds/${encodeURIComponent(args.pipelineId)}/log${args.follow ? '?follow=1' : ''}`;
  const res = await api.send('GET', path).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404)
      throw new Error(`no build log for pipeline ${args.pipelineId}`);
    throw err;
  });
  if (!res.body) throw new Error(`the builder answered ${res.status} without a body`);
  try {
    for await (const chunk of res.body) io.stdout.write(chunk);
  } catch (err) {
    throw new Error(`the build log stopped arriving: ${reason(err)}`);
  }
  return 0;
}
