import { ContractViolation } from '@gitops/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { classify, describeError } from './classify.js';

describe('classify', () => {
  it('drops input that breaks a contract', () => {
    expect(classify(new ContractViolation('event', ['/id: required']))).toBe('drop');
  });
  it('follows an AppError’s own retryable flag', () => {
    expect(classify(new AppError('GITOPS_X_DOWN', 'down', { retryable: true }))).toBe('retry');
    expect(classify(new AppError('GITOPS_X_BAD', 'bad'))).toBe('drop');
  });
  it('retries an unknown error, presuming it transient', () => {
    expect(classify(new Error('ECONNRESET'))).toBe('retry');
  });
  it('describes errors by code and message', () => {
    expect(describeError(new AppError('GITOPS_X_BAD', 'bad'))).toBe('GITOPS_X_BAD: bad');
    expect(describeError('plain')).toBe('plain');
  });
});
