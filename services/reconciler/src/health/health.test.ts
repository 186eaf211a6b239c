import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../manifests/objects.js';
import { healthOf, worstOf } from './health.js';

const dir = new URL('./fixtures/', import.meta.url);
const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));

describe.each(files)('healthOf (fixtures/%s)', (file) => {
  const cases = parse(readFileSync(new URL(file, dir), 'utf8')) as Array<{
    name: string;
    expect: string;
    object: KubeObject;
  }>;
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const health = healthOf(c.object);
    expect(health.status).toBe(c.expect);
    if (health.status !== 'Healthy') expect(health.message).toBeTruthy();
  });
});

describe('healthOf', () => {
  it('answers Missing for an object not in the cluster', () => {
    expect(healthOf(undefined).status).toBe('Missing');
  });

  it('has a fixture file for every kind the issue names', () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });
});

describe('worstOf', () => {
  it('lets one Degraded resource make the whole Degraded', () => {
    expect(worstOf(['Healthy', 'Progressing', 'Degraded', 'Missing'])).toBe('Degraded');
    expect(worstOf(['Healthy', 'Progressing'])).toBe('Progressing');
    expect(worstOf([])).toBe('Healthy');
  });
});
