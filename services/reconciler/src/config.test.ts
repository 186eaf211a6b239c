import { gitCredentials, loadConfig } from '@gitops/config';
import { describe, expect, it } from 'vitest';
import { reconcilerEnv } from './config.js';

describe("the reconciler's environment", () => {
  it('defaults to port 8091, a 3 minute resync and a 5 minute progress deadline, and no cluster', () => {
    expect(loadConfig(reconcilerEnv, {})).toMatchObject({
      PORT: 8091,
      RESYNC_INTERVAL: 180_000,
      HEALTH_TIMEOUT: 300_000,
      KUBECONFIG: undefined,
      KUSTOMIZE_BIN: undefined,
      RENDER_MAX_BYTES: 8 << 20,
    });
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig(reconcilerEnv, { RESYNC_INTERVAL: 'soon', RENDER_MAX_OBJECTS: '0' })).toThrow(
      /RESYNC_INTERVAL .*RENDER_MAX_OBJECTS/,
    );
  });

  it('refuses two passwords, or a password without a user', () => {
    const config = loadConfig(reconcilerEnv, { GIT_PASSWORD: 'p', GIT_PASSWORD_FILE: '/f' });
    expect(() => gitCredentials(config)).toThrow(
      /GIT_PASSWORD_FILE.*cannot be set together.*GIT_USERNAME.*is required/,
    );
    expect(gitCredentials(loadConfig(reconcilerEnv, { GIT_USERNAME: 'u', GIT_PASSWORD: 'p' }))).toEqual({
      username: 'u',
      password: 'p',
    });
  });
});
