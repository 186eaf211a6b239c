import { describe, expect, it } from 'vitest';
import { createImageDriver } from './create-driver.js';

const options = { dataDir: '/tmp/unused', env: {} };

describe('createImageDriver', () => {
  it('picks the native driver for a Dockerfile without RUN when asked for auto', () => {
    expect(createImageDriver('auto', 'FROM scratch\nCOPY . /\n', options).name).toBe('native');
  });

  it('falls back to buildah for a Dockerfile the native driver cannot build when asked for auto', () => {
    expect(createImageDriver('auto', 'FROM scratch\nRUN make\n', options).name).toBe('buildah');
    expect(createImageDriver('auto', 'FROM a AS b\nFROM b\n', options).name).toBe('buildah');
  });

  it('uses buildah when asked, whatever the Dockerfile', () => {
    expect(createImageDriver('buildah', 'FROM scratch\n', options).name).toBe('buildah');
  });

  it('refuses native for a RUN line, naming it and pointing to the buildah driver', () => {
    expect(() => createImageDriver('native', 'FROM scratch\nCOPY . /\nRUN npm ci\n', options)).toThrow(
      'Dockerfile line 3: RUN is not supported by the native image driver; use the buildah driver',
    );
  });

  it.each(['auto', 'native'] as const)('refuses a Dockerfile that does not parse (%s)', (preference) => {
    expect(() => createImageDriver(preference, 'COPY . /\n', options)).toThrow(
      expect.objectContaining({
        code: 'GITOPS_BUILD_DOCKERFILE_INVALID',
        message: 'Dockerfile line 1: COPY before the first FROM',
      }),
    );
  });
});
