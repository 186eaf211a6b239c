import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@gitops/config';
import type { Logger } from '@gitops/telemetry';
import { testApplication } from '@gitops/testing';
import { describe, expect, it, vi } from 'vitest';
import { builderEnv } from '../config.js';
import { platformVariables, stepIsolation } from './isolation.js';
import { findPrograms } from './programs.js';

const spyLogger = () => ({ warn: vi.fn(), info: vi.fn() });
const configOf = async (env: Record<string, string>) =>
  loadConfig(builderEnv, { GITOPS_DATA_DIR: await mkdtemp(join(tmpdir(), 'builder-data-')), ...env });

describe('where build steps run', () => {
  it('runs them without a sandbox with BUILD_SANDBOX=off, with a warning at start', async () => {
    const logger = spyLogger();
    const isolation = await stepIsolation(
      await configOf({ BUILD_SANDBOX: 'off' }),
      { PATH: '/opt/bin' },
      logger as unknown as Logger,
    );
    expect(isolation.name).toBe('without a sandbox (BUILD_SANDBOX=off)');
    expect(isolation.path).toBe('/opt/bin');
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('WITHOUT a sandbox'));
  });

  it('runs them in a sandbox by default, once a probe sandbox ran in the data directory', async () => {
    const logger = spyLogger();
    const isolation = await stepIsolation(await configOf({}), {}, logger as unknown as Logger);
    expect(isolation.name).toBe('in a sandbox (bwrap)');
    expect(logger.info).toHaveBeenCalledWith({ limits: 'rlimit' }, 'build steps run in a bubblewrap sandbox');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('refuses to start where bwrap is not installed, saying how to go on', async () => {
    await expect(findPrograms('/nonexistent/bin')).rejects.toMatchObject({
      code: 'GITOPS_BUILD_SANDBOX_UNAVAILABLE',
      message: expect.stringMatching(
        /^bwrap is not installed; install bubblewrap .* or set BUILD_SANDBOX=off/,
      ),
    });
  });

  it("counts the builder's configuration and every webhook secret as the platform's own variables", () => {
    const names = platformVariables([testApplication('a', { secretEnv: 'A_HOOK' }), testApplication('b')]);
    for (const name of [
      'GIT_PASSWORD',
      'REGISTRY_URL',
      'NATS_URL',
      'BUILD_SANDBOX',
      'WEBHOOK_SECRET',
      'A_HOOK',
    ])
      expect(names.has(name), name).toBe(true);
    expect(names.has('HELLO_NPM_TOKEN')).toBe(false);
  });
});
