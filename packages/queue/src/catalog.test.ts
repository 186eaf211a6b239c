import type { Bus } from '@gitops/bus';
import { testLogger } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { checkCatalog } from './catalog.js';
import { createStageRunner } from './stage-runner.js';

const noResults = async () => [];

describe('the job catalog check', () => {
  it('accepts one handler for each consumed event', () => {
    expect(() =>
      checkCatalog('builder', ['source.received', 'drift.detected'], {
        'source.received': noResults,
        'drift.detected': noResults,
      }),
    ).not.toThrow();
  });

  it('lists every consumed event without a handler and every handler without its event', () => {
    expect(() =>
      checkCatalog('builder', ['source.received', 'build.succeeded'], {
        'source.received': noResults,
        'image.pushed': noResults,
      }),
    ).toThrow(
      'job catalog of builder: build.succeeded has no handler; the handler for image.pushed has no consumed event',
    );
  });

  it('refuses an event consumed twice and a stage that consumes nothing', () => {
    expect(() =>
      checkCatalog('x', ['source.received', 'source.received'], { 'source.received': noResults }),
    ).toThrow(/source.received is consumed twice/);
    expect(() => checkCatalog('x', [], {})).toThrow(/consumes no event/);
  });

  it('stops createStageRunner before it touches NATS or Redis', () => {
    const create = () =>
      createStageRunner({
        service: 'builder',
        bus: {} as Bus,
        consumes: ['source.received'],
        handlers: { 'build.succeeded': noResults },
        logger: testLogger(),
      });
    expect(create).toThrow(expect.objectContaining({ code: 'GITOPS_QUEUE_CATALOG_INVALID' }));
  });
});
