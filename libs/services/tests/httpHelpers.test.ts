import { AppError, BadRequestError, ServiceUnavailableError, TooManyRequestsError } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/http/redactUrl.ts';
import { parseRetryAfter, retryPause, withRetries } from '../src/http/withRetries.ts';

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates as milliseconds', () => {
    // Prepare
    const now = Date.parse('2025-01-01T00:00:00Z');

    // Act & Assess
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable value', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(' ')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('retryPause', () => {
  it('backs off exponentially with jitter when the server names no pause', () => {
    for (const retry of [0, 1, 2]) {
      const pause = retryPause(new ServiceUnavailableError(), retry, 100)!;
      expect(pause).toBeGreaterThanOrEqual((100 * 2 ** retry) / 2);
      expect(pause).toBeLessThanOrEqual(100 * 2 ** retry);
    }
    expect(retryPause(new ServiceUnavailableError(), 20, 100)).toBeLessThanOrEqual(30_000);
  });

  it('honours Retry-After up to a minute', () => {
    expect(retryPause(new TooManyRequestsError('x', { retryAfterSeconds: 2 }), 0, 100)).toBe(2000);
    expect(retryPause(new TooManyRequestsError('x', { retryAfterSeconds: 61 }), 0, 100)).toBeUndefined();
  });

  it('does not retry client errors, 501 or foreign errors', () => {
    expect(retryPause(new BadRequestError(), 0, 100)).toBeUndefined();
    expect(retryPause(new AppError('no', { status: 501 }), 0, 100)).toBeUndefined();
    expect(retryPause(new Error('bug'), 0, 100)).toBeUndefined();
  });
});

describe('withRetries', () => {
  it('stops waiting when the caller aborts during a pause', async () => {
    // Prepare
    const controller = new AbortController();
    let attempts = 0;
    const failing = async () => {
      attempts++;
      controller.abort(new Error('stop'));
      throw new ServiceUnavailableError();
    };

    // Act & Assess
    await expect(
      withRetries(failing, { retries: 3, retryDelayMs: 10_000, signal: controller.signal }),
    ).rejects.toThrow('stop');
    expect(attempts).toBe(1);
  });
});

describe('redactUrl', () => {
  it('drops user-info and masks secret-looking query values', () => {
    expect(redactUrl('https://me:pw@host.test/a?token=abc&X-Amz-Signature=sig&page=2')).toBe(
      'https://host.test/a?token=***&X-Amz-Signature=***&page=2',
    );
  });

  it('keeps an ordinary URL as it is and survives an invalid one', () => {
    expect(redactUrl(new URL('http://host.test/npm/-/ping'))).toBe('http://host.test/npm/-/ping');
    expect(redactUrl('not a url')).toBe('[invalid url]');
  });
});
