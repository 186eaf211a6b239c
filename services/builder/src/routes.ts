import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { AppError } from '@gitops/errors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { followFile } from './log-follow.js';

export interface BuildLogRouteDeps {
  /** The build log of a pipeline, or undefined when there is none. */
  findLog(pipelineId: string): Promise<string | undefined>;
  /** Whether the pipeline's build has ended: its result is recorded (docs/builder.md, "Following a build log"). */
  buildEnded(pipelineId: string): Promise<boolean>;
  /** The longest a follow lasts: BUILD_TIMEOUT. */
  followTimeoutMs: number;
  /** How often a followed log is read again (default 500 ms). */
  followPollMs?: number;
}

interface LogRequest {
  Params: { pipelineId: string };
  Querystring: { follow?: string };
}

const DEFAULT_POLL_MS = 500;

/** The builder's own routes: a pipeline's build log, whole or followed as it grows. */
export function registerBuildLogRoutes(app: FastifyInstance, deps: BuildLogRouteDeps): void {
  app.get<LogRequest>('/api/v1/builds/:pipelineId/log', async (request, reply) => {
    const { pipelineId } = request.params;
    const follow = wantsFollow(request.query.follow);
    const path = await deps.findLog(pipelineId);
    if (!path) {
      throw new AppError('GITOPS_BUILD_LOG_NOT_FOUND', `no build log for pipeline ${pipelineId}`, {
        statusCode: 404,
      });
    }
    reply.type('text/plain; charset=utf-8');
    // Streamed: a log is up to BUILD_LOG_MAX_BYTES, and one of a running build is still growing.
    if (!follow) return reply.send(createReadStream(path));
    // Proxies such as nginx buffer a response unless told not to; a follower wants each line at once.
    reply.header('cache-control', 'no-store').header('x-accel-buffering', 'no');
    return reply.send(followedLog(path, pipelineId, deps, reply));
  });
}

function wantsFollow(value: string | undefined): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '' || value === '1' || value === 'true') return true;
  throw new AppError('GITOPS_BUILD_LOG_FOLLOW_INVALID', `follow must be 1 or 0 (got "${value}")`, {
    statusCode: 400,
  });
}

/**
 * The log as it grows, until the build ends, the client leaves, or the follow outlasts
 * BUILD_TIMEOUT (a build whose builder gave up records no result); the last ends with a notice line.
 */
function followedLog(
  path: string,
  pipelineId: string,
  deps: BuildLogRouteDeps,
  reply: FastifyReply,
): Readable {
  const stop = new AbortController();
  let timedOut = false;
  const cap = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, deps.followTimeoutMs);
  reply.raw.once('close', () => {
    clearTimeout(cap);
    stop.abort();
  });
  async function* body() {
    try {
      const options = {
        ended: () => deps.buildEnded(pipelineId),
        pollMs: deps.followPollMs ?? DEFAULT_POLL_MS,
        signal: stop.signal,
      };
      yield* followFile(path, options);
      if (timedOut) {
        yield Buffer.from(
          `\n[stopped following after ${deps.followTimeoutMs} ms: the build has not ended]\n`,
        );
      }
    } finally {
      clearTimeout(cap);
    }
  }
  return Readable.from(body(), { objectMode: false });
}
