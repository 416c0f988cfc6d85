import { NotFoundError } from '@myorg/error';
import { empty, json, type ResponseBody, stream } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import { compose, createRequestContext, type Handler, requestLogging } from '../src/index.ts';
import { chunksOf, recordingContext, request, throwingLogger } from './helpers.ts';

function logged(handler: Handler) {
  return compose(requestLogging())(handler);
}

describe('requestLogging', () => {
  it('writes one line with method, path, status, duration, size and request id', async () => {
    // Prepare
    const { ctx, records } = recordingContext('info');
    ctx.requestId = 'req-7';
    const pipeline = logged(async () => json(200, { name: 'pkg' }));

    // Act
    await pipeline(request({ url: '/pkg?token=secret' }), ctx);

    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: 'req-7',
      method: 'GET',
      path: '/pkg',
      status: 200,
      bytes: 14,
    });
    expect(records[0]?.durationMs).toBeTypeOf('number');
    expect(JSON.stringify(records[0])).not.toContain('secret');
  });

  it.each<[string, ResponseBody, Record<string, string>, number | undefined]>([
    ['multi-byte text', 'żółw', {}, 7],
    ['bytes', new Uint8Array(5), {}, 5],
    ['a declared length', chunksOf(['abc']), { 'content-length': '3' }, 3],
    ['no body', undefined, {}, 0],
    ['a stream of unknown length', chunksOf(['abc']), {}, undefined],
  ])('reports the size of %s', async (_label, body, headers, bytes) => {
    // Prepare
    const { ctx, records } = recordingContext('info');
    const pipeline = logged(async () => ({ status: 200, headers, body }));

    // Act
    await pipeline(request(), ctx);

    // Assess
    expect(records[0]?.bytes).toBe(bytes);
  });

  it('logs a request that throws with the status it maps to and rethrows', async () => {
    // Prepare
    const { ctx, records } = recordingContext('info');
    const notFound = logged(async () => {
      throw new NotFoundError();
    });
    const broken = logged(async () => {
      throw new Error('bug');
    });

    // Act
    const first = notFound(request(), ctx);
    await expect(first).rejects.toBeInstanceOf(NotFoundError);
    const second = broken(request(), ctx);
    await expect(second).rejects.toThrow('bug');

    // Assess
    expect(records.map((record) => record.status)).toEqual([404, 500]);
  });

  it('writes nothing when info is disabled', async () => {
    // Prepare
    const { ctx, records } = recordingContext('warn');

    // Act
    await logged(async () => empty(204))(request(), ctx);

    // Assess
    expect(records).toEqual([]);
  });

  it('never lets a failing logger break the request', async () => {
    // Prepare
    const ctx = createRequestContext(throwingLogger);

    // Act
    const response = await logged(async () => stream(200, chunksOf(['x']), {}))(request(), ctx);

    // Assess
    expect(response.status).toBe(200);
  });
});
