import { encodeEvent } from '@gitops/contracts';
import { buildFailed, sourceReceived } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { paintFor } from '../colour.js';
import { formatEvent, jsonLine, pipelineOf } from './format-event.js';

const plain = paintFor({ write: () => true }, {}, true);
const colours = paintFor({ write: () => true, isTTY: true }, {}, true);

describe('how tail prints an event', () => {
  const source = sourceReceived('hello');
  const failed = buildFailed(source, 'tests failed');

  it('shows time, subject, pipeline and the fields a person looks for, on one line', () => {
    const line = formatEvent('gitops.v1.hello.source.received', encodeEvent(source), plain);
    expect(line).toBe(
      `${source.time} gitops.v1.hello.source.received ${source.data.pipelineId} branch=main commit=${source.data.commit}`,
    );
  });

  it('paints a failure red and the time dim on a terminal', () => {
    const line = formatEvent('gitops.v1.hello.build.failed', encodeEvent(failed), colours);
    expect(line).toContain('\u001b[31mgitops.v1.hello.build.failed\u001b[39m');
    expect(line.startsWith(`\u001b[2m${failed.time}\u001b[22m`)).toBe(true);
  });

  it('says an event is invalid instead of failing', () => {
    const line = formatEvent('gitops.v1.hello.build.failed', Buffer.from('{"type":1}'), plain);
    expect(line).toMatch(/^gitops\.v1\.hello\.build\.failed \(invalid event: .+\)$/);
  });

  it('prints an event as one JSON line, and what is not JSON as {subject, invalid}', () => {
    const pretty = Buffer.from(JSON.stringify(failed, null, 2));
    expect(JSON.parse(jsonLine('s', pretty))).toEqual(failed);
    expect(jsonLine('s', pretty)).not.toContain('\n');
    expect(JSON.parse(jsonLine('s', Buffer.from('not json')))).toMatchObject({ subject: 's' });
  });

  it('reads the pipeline of an event, and of nothing else', () => {
    expect(pipelineOf(encodeEvent(failed))).toBe(source.data.pipelineId);
    expect(pipelineOf(Buffer.from('[]'))).toBeUndefined();
  });
});
