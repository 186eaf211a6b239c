import { loadConfig } from '@gitops/config';
import { describe, expect, it } from 'vitest';
import { pusherEnv } from './config.js';

describe('the pusher’s environment', () => {
  it('defaults to the local registry, port 8093, 32 MiB / 16 MiB chunking and 5 minutes of registry retries', () => {
    expect(loadConfig(pusherEnv, {})).toMatchObject({
      PORT: 8093,
      REGISTRY_URL: 'http://127.0.0.1:5000',
      REGISTRY_CHUNK_THRESHOLD: 32 << 20,
      REGISTRY_CHUNK_SIZE: 16 << 20,
      PUSH_CONCURRENCY: 4,
      REGISTRY_RETRY_BUDGET: 300_000,
      PROVENANCE_SIGNING_KEY_FILE: undefined,
    });
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig(pusherEnv, { REGISTRY_URL: 'ftp://x', PUSH_CONCURRENCY: '0' })).toThrow(
      /REGISTRY_URL .*PUSH_CONCURRENCY/,
    );
  });
});
