import { AppError } from '@gitops/errors';
import { describe, expect, it } from 'vitest';
import { isTransientStatus } from './registry-http.js';
import { TransientError, formatDuration, isTransient, withRetries } from './retry.js';
import { nextLink } from './tags-list.js';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5000'), { code: 'ECONNREFUSED' });

describe('withRetries within a time budget', () => {
  it('keeps retrying past any count of tries until the outage ends inside the budget', async () => {
    let tries = 0;
    const result = await withRetries(
      { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 5000 },
      'HEAD blob',
      async () => {
        if (++tries < 30) throw refused();
        return 'done';
      },
    );
    expect(result).toBe('done');
    expect(tries).toBe(30);
  });

  it('gives up once the budget is spent, naming the budget, the tries and the last failure', async () => {
    const started = performance.now();
    const failure = withRetries(
      { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 20, maxDelayMs: 50, budgetMs: 300 },
      'PUT blob sha256:ab (acme/hello)',
      async () => {
        throw refused();
      },
    );
    await expect(failure).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_UNAVAILABLE',
      retryable: true,
      message: expect.stringMatching(
        /^PUT blob sha256:ab \(acme\/hello\): connect ECONNREFUSED .*\(retry budget of 0\.3s spent: \d+ tries in 0\.\ds\)$/,
      ),
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(1000);
  });

  it('stops at the attempts when they run out before the budget', async () => {
    let tries = 0;
    const failure = withRetries(
      { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 60_000 },
      'x',
      async () => {
        tries++;
        throw new TransientError('registry answered 503');
      },
    );
    await expect(failure).rejects.toThrow(/registry answered 503 \(after 3 tries\)/);
    expect(tries).toBe(3);
  });

  it('does not retry an error that is a verdict, even one whose message reads like a dropped connection', async () => {
    let tries = 0;
    const spent = new AppError('GITOPS_REGISTRY_UNAVAILABLE', 'PATCH blob: socket hang up (after 6 tries)', {
      retryable: true,
    });
    const failure = withRetries({ attempts: 5, baseDelayMs: 1, maxDelayMs: 1 }, 'upload', async () => {
      tries++;
      throw spent;
    });
    await expect(failure).rejects.toBe(spent);
    expect(tries).toBe(1);
    expect(isTransient(spent)).toBe(false);
  });
});

describe('what is retried', () => {
  it('retries 408, 429 and 5xx answers and no other 4xx', () => {
    expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 405, 409, 413, 416].some(isTransientStatus)).toBe(false);
  });

  it('retries timed-out and reset connections', () => {
    expect(isTransient(Object.assign(new Error('socket idle timeout'), { code: 'ETIMEDOUT' }))).toBe(true);
    expect(isTransient(new Error('socket hang up'))).toBe(true);
  });
});

describe('formatDuration', () => {
  it('writes seconds below a minute and minutes with seconds above', () => {
    expect(formatDuration(3000)).toBe('3s');
    expect(formatDuration(1540)).toBe('1.5s');
    expect(formatDuration(300_000)).toBe('5m0s');
    expect(formatDuration(95_000)).toBe('1m35s');
  });
});

describe('nextLink', () => {
  it('finds the next page among the Link header’s relations', () => {
    expect(nextLink('</v2/acme/app/tags/list?last=b&n=2>; rel="next"')).toBe(
      '/v2/acme/app/tags/list?last=b&n=2',
    );
    expect(
      nextLink('<https://r.example/v2/x/tags/list?last=z>; rel="prev", </v2/x/tags/list?last=c>; rel=next'),
    ).toBe('/v2/x/tags/list?last=c');
    expect(nextLink(undefined)).toBeUndefined();
    expect(nextLink('</v2/x/tags/list?last=a>; rel="prev"')).toBeUndefined();
  });
});
