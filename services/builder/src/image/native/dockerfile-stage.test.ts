import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../dockerfile/dockerfile.js';
import { resolveStages } from '../dockerfile/from.js';
import { planStage } from './dockerfile-stage.js';
import type { ContainerConfig } from './image-config.js';

const BASE: ContainerConfig = {
  Env: ['PATH=/usr/bin:/bin', 'LANG=C'],
  Cmd: ['/bin/sh'],
  WorkingDir: '/',
  Labels: { base: 'yes' },
  ExposedPorts: { '22/tcp': {} },
};

function plan(text: string, buildArgs: Record<string, string> = {}, base: ContainerConfig = BASE) {
  const instructions = parseDockerfile(text);
  const { froms, globalArgs } = resolveStages(instructions, buildArgs);
  const at = froms[0]?.index ?? 0;
  return {
    image: froms[0]?.image,
    ...planStage(instructions.slice(at + 1), base, { buildArgs, globalArgs }),
  };
}

describe('planStage', () => {
  it('merges ENV into the base Env, substituting variables from the state before the line', () => {
    const { config } = plan(
      'FROM x\nENV PATH=/app/bin:$PATH LANG=en\nENV A=$LANG B="two words"\nENV LEGACY value with spaces\n',
    );
    expect(config.Env).toEqual([
      'PATH=/app/bin:/usr/bin:/bin',
      'LANG=en',
      'A=en',
      'B=two words',
      'LEGACY=value with spaces',
    ]);
  });

  it('substitutes ARG values, build args over defaults, ENV over ARG, and a global ARG redeclared after FROM', () => {
    const text = [
      'ARG TAG=1 REGION',
      'FROM registry/app:$TAG',
      'ARG TAG',
      'ARG PORT=8080',
      'ARG NAME=default',
      'ENV NAME=from-env',
      'LABEL tag=$TAG port=$PORT name=$NAME region=${REGION:-none}',
    ].join('\n');
    const { image, config } = plan(text, { PORT: '9090', TAG: '2' });
    expect(image).toBe('registry/app:2');
    expect(config.Labels).toEqual({ base: 'yes', tag: '2', port: '9090', name: 'from-env', region: 'none' });
  });

  it('keeps a global ARG out of the stage until it is redeclared', () => {
    const { config } = plan('ARG V=1\nFROM x\nLABEL v=${V:-unset}\n');
    expect(config.Labels?.v).toBe('unset');
  });

  it('resolves WORKDIR against the previous one and sets USER, EXPOSE, VOLUME and STOPSIGNAL', () => {
    const text =
      'FROM x\nWORKDIR /srv\nWORKDIR app\nUSER 1000:1000\nEXPOSE 80 53/udp 8000-8001\nVOLUME ["/data"]\nSTOPSIGNAL SIGINT\n';
    const { config } = plan(text);
    expect(config).toMatchObject({
      WorkingDir: '/srv/app',
      User: '1000:1000',
      ExposedPorts: { '22/tcp': {}, '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} },
      Volumes: { '/data': {} },
      StopSignal: 'SIGINT',
    });
  });

  it('runs the shell form of CMD and ENTRYPOINT through SHELL and keeps the exec form as written', () => {
    expect(plan('FROM x\nCMD node server.js\n').config.Cmd).toEqual(['/bin/sh', '-c', 'node server.js']);
    expect(plan('FROM x\nSHELL ["/bin/bash", "-ec"]\nCMD echo $HOME\n').config.Cmd).toEqual([
      '/bin/bash',
      '-ec',
      'echo $HOME',
    ]);
    expect(plan('FROM x\nCMD ["node", "$X"]\n').config.Cmd).toEqual(['node', '$X']);
  });

  it('drops the inherited CMD when ENTRYPOINT is set, but not a CMD the Dockerfile set', () => {
    expect(plan('FROM x\nENTRYPOINT ["/app"]\n').config.Cmd).toBeUndefined();
    expect(plan('FROM x\nCMD ["--help"]\nENTRYPOINT ["/app"]\n').config).toMatchObject({
      Entrypoint: ['/app'],
      Cmd: ['--help'],
    });
  });

  it('makes COPY destinations absolute against WORKDIR, marking directories with a trailing slash', () => {
    const { steps } = plan(
      'FROM x\nWORKDIR /app\nCOPY package.json .\nCOPY src/ src/\nCOPY a b\nCOPY ["c d", "/app"]\nCOPY $UNSET x /\n',
    );
    expect(steps.flatMap((s) => (s.copy ? [[s.copy.sources, s.copy.dest]] : []))).toEqual([
      [['package.json'], '/app/'],
      [['src/'], '/app/src/'],
      [['a'], '/app/b'],
      [['c d'], '/app/'],
      [['x'], '/'],
    ]);
  });

  it('records one history step per instruction but ARG, with the instruction as written', () => {
    const { steps } = plan('FROM x\nARG A=1\nENV B=$A\nCOPY . /app\n');
    expect(steps).toEqual([
      { createdBy: 'ENV B=$A' },
      { createdBy: 'COPY . /app', copy: { line: 4, keyword: 'COPY', sources: ['.'], dest: '/app' } },
    ]);
  });

  it.each([
    ['FROM x\nENV =oops\n', 'line 2: =oops is not NAME=value'],
    ['FROM x\nLABEL a="unterminated\n', 'line 2: unterminated " quote'],
    ['FROM x\nEXPOSE http\n', 'line 2: EXPOSE http is not a port'],
    ['FROM x\nSHELL /bin/bash\n', 'line 2: SHELL needs the JSON form'],
    ['FROM x\nCOPY onlyone\n', 'line 2: COPY needs a source and a destination'],
    ['FROM x\nARG NEED\nUSER ${NEED:?is required}\n', 'line 3: NEED: is required'],
  ])('refuses %j (%s)', (text, message) => {
    expect(() => plan(text)).toThrow(message);
  });
});
