import { describe, expect, it } from 'vitest';
import { parseGitopsFile } from './gitops-file.js';

const problems = (text: string) => {
  try {
    parseGitopsFile(text);
  } catch (err) {
    return err as Error & { reason?: string };
  }
  throw new Error('expected the file to be refused');
};

describe('.gitops.yaml', () => {
  it('accepts steps with env, workdir and timeouts, and report paths', () => {
    const file = parseGitopsFile(`
version: 1
env: { CI_LEVEL: 2, VERBOSE: true }
steps:
  - { name: install, run: npm ci, timeout: 5m }
  - { name: test, run: npm test, workdir: packages/api, env: { NODE_ENV: test } }
reports: { coverage: coverage/lcov.info, junit: [reports/junit.xml] }
timeout: 20m
`);
    expect(file.steps?.map((s) => s.name)).toEqual(['install', 'test']);
    expect(file.reports?.junit).toEqual(['reports/junit.xml']);
  });

  it('treats an empty file as one that overrides nothing', () => {
    expect(parseGitopsFile('')).toEqual({});
  });

  it('names the field path of every problem at once', () => {
    const err = problems(`
steps:
  - { name: test, cmd: npm test }
  - { name: lint, run: 42, timeout: soon }
extra: true
`);
    expect(err.reason).toBe('invalid-config');
    expect(err.message).toMatch(/^\.gitops\.yaml: /);
    expect(err.message).toContain('steps.0.cmd: Unexpected property');
    expect(err.message).toContain('steps.0.run: Expected required property');
    expect(err.message).toContain('steps.1.run: Expected string');
    expect(err.message).toContain('steps.1.timeout: Expected string to match');
    expect(err.message).toContain('extra: Unexpected property');
  });

  it('refuses paths that leave the repository, absolute or through ..', () => {
    const err = problems(`
steps: [{ name: test, run: make, workdir: ../other }]
reports: { coverage: /etc/passwd, junit: [ok.xml, a/../../b.xml] }
`);
    expect(err.message).toContain('steps.0.workdir: "../other" leaves the repository');
    expect(err.message).toContain(
      'reports.coverage: "/etc/passwd" must be a relative path inside the repository',
    );
    expect(err.message).toContain('reports.junit.1: "a/../../b.xml" leaves the repository');
  });

  it("refuses a step named twice or named like one of the builder's own steps", () => {
    const err = problems('steps: [{ name: test, run: a }, { name: test, run: b }, { name: image, run: c }]');
    expect(err.message).toContain('steps.1.name: "test" is used twice');
    expect(err.message).toContain('steps.2.name: "image" is reserved');
  });

  it('refuses environment variable names a shell cannot set', () => {
    expect(problems('env: { "BAD-NAME": x }').message).toContain('env.BAD-NAME: Unexpected property');
  });

  it('reports a YAML syntax error as such', () => {
    expect(problems('steps: [unclosed').message).toMatch(/^\.gitops\.yaml: YAML: /);
  });
});
