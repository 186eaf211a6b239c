import type { AppError } from '@gitops/errors';
import type { RawInstruction } from '../dockerfile/dockerfile.js';
import { imageErrors } from '../errors.js';

const STEP_FAILED = /building at STEP "(.*)": (.*)$/;
const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * GITOPS_BUILD_BUILDAH_FAILED from buildah's last output lines: naming the Dockerfile line when buildah
 * says which step failed (`building at STEP "RUN …": exit status 3`), else quoting its error line.
 */
export function buildahFailure(
  tail: string[],
  instructions: RawInstruction[],
  code: number | null,
): AppError {
  const stepLine = tail.findLast((l) => STEP_FAILED.test(l));
  const step = stepLine === undefined ? undefined : STEP_FAILED.exec(stepLine);
  if (step) {
    const text = normalize(step[1] ?? '');
    const found = instructions.find((i) => normalize([i.keyword, ...i.flags, i.args].join(' ')) === text);
    const where = found ? `Dockerfile line ${found.line} (${step[1]})` : `step ${step[1]}`;
    return imageErrors.buildahFailed(`buildah failed at ${where}: ${step[2]}`);
  }
  const error = tail.findLast((l) => l.startsWith('Error: '));
  const detail = error ?? tail.slice(-5).join('\n');
  return imageErrors.buildahFailed(`buildah exited with ${code}: ${detail.replace(/^Error: /, '')}`);
}
