import { describe, expect, it } from 'vitest';
import { checkNative, execForm, parseDockerfile } from './dockerfile.js';

const parse = (text: string) => parseDockerfile(text);
const nativeError = (text: string) => {
  try {
    checkNative(parse(text));
  } catch (err) {
    return err as { code: string; message: string };
  }
  return undefined;
};

describe('parseDockerfile', () => {
  it('joins continuation lines, skipping comments and blank lines inside them, and keeps the start line', () => {
    const [from, env] = parse(
      '# syntax=docker/dockerfile:1\nFROM scratch\n\nENV A=1 \\\n  # a comment\n\n  B=2\n',
    );
    expect(from).toMatchObject({ line: 2, keyword: 'FROM', args: 'scratch' });
    expect(env).toMatchObject({ line: 4, keyword: 'ENV', args: 'A=1   B=2' });
  });

  it('upper-cases keywords and separates leading --flags from the arguments', () => {
    const [, copy] = parse('from scratch\ncopy --link --chown=1:1 a b\n');
    expect(copy).toMatchObject({ keyword: 'COPY', flags: ['--link', '--chown=1:1'], args: 'a b' });
  });

  it('consumes heredoc bodies so their lines are not read as instructions', () => {
    const instructions = parse('FROM scratch\nRUN <<EOF\napt-get update\nEOF\nCMD ["x"]\n');
    expect(instructions.map((i) => [i.keyword, i.line, i.heredoc])).toEqual([
      ['FROM', 1, false],
      ['RUN', 2, true],
      ['CMD', 5, false],
    ]);
  });

  it.each([
    ['ENV A=1\n', 'line 1: ENV before the first FROM'],
    ['FROM scratch\nFROBNICATE x\n', 'line 2: unknown instruction FROBNICATE'],
    ['# only a comment\n', 'no FROM instruction'],
    ['FROM scratch\nRUN <<EOF\nnever ends\n', 'line 2: heredoc EOF is not terminated'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });

  it('accepts ARG before FROM', () => {
    expect(parse('ARG BASE=scratch\nFROM $BASE\n').map((i) => i.keyword)).toEqual(['ARG', 'FROM']);
  });
});

describe('parser directives', () => {
  const escapeOf = (text: string) => parse(text).map((i) => i.escapeChar)[0];

  it('continues lines with the backtick after # escape=`, where a trailing backslash is a path', () => {
    const [, workdir, copy] = parse('# escape=`\nFROM scratch\nWORKDIR C:\\app\\\nCOPY a `\n  b /x\n');
    expect(workdir).toMatchObject({ line: 3, keyword: 'WORKDIR', args: 'C:\\app\\', escapeChar: '`' });
    expect(copy).toMatchObject({ line: 4, keyword: 'COPY', args: 'a   b /x', escapeChar: '`' });
  });

  it.each([
    ['# escape=`\n', '`'],
    ['# ESCAPE = `\n', '`'],
    ['  #escape=`  \n', '`'],
    ['# syntax=docker/dockerfile:1\n# escape=`\n', '`'],
    ['# escape=\\\n', '\\'],
    // A directive after a comment, a blank line or an unknown directive is only a comment.
    ['# a comment\n# escape=`\n', '\\'],
    ['\n# escape=`\n', '\\'],
    ['# unknown=x\n# escape=`\n', '\\'],
    ['FROM scratch\n# escape=`\n', '\\'],
  ])('%j reads with the escape character %s', (head, expected) => {
    expect(escapeOf(`${head}FROM scratch\n`)).toBe(expected);
  });

  it.each([
    ['# escape=x\nFROM scratch\n', 'line 1: invalid escape token "x"'],
    ['# escape=`\n# escape=\\\nFROM scratch\n', 'line 2: only one escape parser directive can be used'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });
});

describe('checkNative', () => {
  it('accepts the instructions the native driver implements', () => {
    const text = [
      'ARG V=1',
      'FROM scratch',
      'ENV A=1',
      'WORKDIR /app',
      'COPY --link . .',
      'ADD x /x',
      'USER 1000',
      'EXPOSE 80',
      'LABEL a=b',
      'VOLUME /data',
      'STOPSIGNAL SIGTERM',
      'SHELL ["/bin/bash", "-c"]',
      'ENTRYPOINT ["/app/run"]',
      'CMD serve --port 80',
    ].join('\n');
    expect(nativeError(text)).toBeUndefined();
  });

  it('refuses RUN naming its line and pointing to the buildah driver', () => {
    const error = nativeError('FROM scratch\nCOPY . .\nRUN npm ci\n');
    expect(error?.code).toBe('GITOPS_BUILD_NATIVE_UNSUPPORTED');
    expect(error?.message).toMatch(
      /^Dockerfile line 3: RUN is not supported by the native image driver; use the buildah driver/,
    );
  });

  it.each([
    ['FROM scratch AS a\nFROM scratch\n', 'line 2: a second FROM (multi-stage build)'],
    ['FROM scratch\nCOPY --from=a /x /x\n', 'line 2: COPY --from'],
    ['FROM scratch\nCOPY --chown=app x /x\n', 'line 2: COPY --chown'],
    ['FROM --platform=linux/arm64 scratch\n', 'line 1: FROM --platform'],
    ['FROM scratch\nCOPY <<EOF /x\nhi\nEOF\n', 'line 2: a heredoc in COPY'],
    ['FROM scratch\nHEALTHCHECK CMD true\n', 'line 2: HEALTHCHECK'],
  ])('refuses %j (%s)', (text, message) => {
    expect(nativeError(text)?.message).toContain(message);
  });
});

describe('execForm', () => {
  it.each([
    ['["node", "server.js"]', ['node', 'server.js']],
    ['[]', []],
    ['node server.js', undefined],
    ['[node]', undefined],
    ['["a", 1]', undefined],
  ])('%s is %j', (args, expected) => {
    expect(execForm(args)).toEqual(expected);
  });
});
