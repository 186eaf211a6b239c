import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../dockerfile/dockerfile.js';
import { buildahFailure } from './buildah-error.js';

const instructions = parseDockerfile('FROM base\n# build\nrun  echo a \\\n   && exit 4\nCOPY nope /x\n');

describe('buildahFailure', () => {
  it('names the Dockerfile line of the failing step, whitespace and case aside', () => {
    const tail = [
      'STEP 2/3: RUN echo a    && exit 4',
      'subprocess exited with status 4',
      'Error: building at STEP "RUN echo a    && exit 4": exit status 4',
    ];
    expect(buildahFailure(tail, instructions, 4)).toMatchObject({
      code: 'GITOPS_BUILD_BUILDAH_FAILED',
      message: 'buildah failed at Dockerfile line 3 (RUN echo a    && exit 4): exit status 4',
    });
  });

  it('names the step when no line matches it', () => {
    const tail = ['Error: building at STEP "RUN elsewhere": exit status 1'];
    expect(buildahFailure(tail, instructions, 1).message).toBe(
      'buildah failed at step RUN elsewhere: exit status 1',
    );
  });

  it("quotes buildah's error line when it names no step", () => {
    const tail = [
      'Trying to pull 127.0.0.1:5000/nope:1...',
      'Error: creating build container: manifest unknown',
    ];
    expect(buildahFailure(tail, instructions, 125).message).toBe(
      'buildah exited with 125: creating build container: manifest unknown',
    );
  });
});
