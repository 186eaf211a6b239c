import type { Output } from '../io.js';

export interface PrintLogOptions {
  builderUrl: string;
  pipelineId: string;
  /** Keep printing as the log grows, until the build ends (the builder's `?follow=1`). */
  follow: boolean;
  /** A token of the builder's GITOPS_API_TOKENS_FILE, sent as `Authorization: Bearer`. */
  token?: string | undefined;
}

const reason = (err: unknown) => {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
};

async function problemOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text.trim().split('\n')[0] ?? '';
  }
}

/**
 * Copies a pipeline's build log from the builder's HTTP API (docs/builder.md) to `out`, as it
 * arrives. Errors say what failed in one line; a 404 means the builder knows no log of that pipeline.
 */
export async function printBuildLog(options: PrintLogOptions, out: Output): Promise<number> {
  const url = new URL(
    `api/v1/builds/${encodeURIComponent(options.pipelineId)}/log`,
    `${options.builderUrl.replace(/\/*$/, '')}/`,
  );
  if (options.follow) url.searchParams.set('follow', '1');
  let res: Response;
  try {
    res = await fetch(url, options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {});
  } catch (err) {
    throw new Error(`cannot reach the builder at ${options.builderUrl}: ${reason(err)}`);
  }
  if (res.status === 404) throw new Error(`no build log for pipeline ${options.pipelineId}`);
  if (res.status === 401) {
    const hint = options.token ? '' : ' (give a token with --token or GITOPS_API_TOKEN)';
    throw new Error(`the builder refused the request: ${await problemOf(res)}${hint}`);
  }
  if (!res.ok || !res.body) throw new Error(`the builder answered ${res.status}: ${await problemOf(res)}`);
  try {
    for await (const chunk of res.body) out.write(chunk);
  } catch (err) {
    throw new Error(`the build log stopped arriving: ${reason(err)}`);
  }
  return 0;
}
