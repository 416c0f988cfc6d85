import { ConflictError, InternalError } from '@myorg/error';
import { json } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import { compose, createRequestContext, errorMapping } from '../src/index.ts';
import { recordingContext, request, throwingLogger } from './helpers.ts';

function failingWith(error: unknown) {
  return compose(errorMapping())(async () => {
    throw error;
  });
}

describe('errorMapping', () => {
  it('passes successful responses through', async () => {
    // Prepare
    const pipeline = compose(errorMapping())(async () => json(200, { ok: true }));

    // Act
    const response = await pipeline(request(), recordingContext().ctx);

    // Assess
    expect(response.status).toBe(200);
  });

  it('answers an AppError with its status and npm-shaped body', async () => {
    // Prepare
    const { ctx } = recordingContext();

    // Act
    const response = await failingWith(new ConflictError('version 1.0.0 already exists'))(request(), ctx);

    // Assess
    expect(response.status).toBe(409);
    expect(JSON.parse(response.body as string)).toEqual({
      error: 'version 1.0.0 already exists',
      code: 'E409',
    });
  });

  it('hides unexpected errors from the client but logs them with their cause', async () => {
    // Prepare
    const { ctx, records } = recordingContext('info');
    ctx.requestId = 'req-1';
    const failure = new InternalError('write failed', { cause: new Error('EACCES /var/lib/registry') });

    // Act
    const response = await failingWith(failure)(request({ method: 'PUT', url: '/pkg?x=1' }), ctx);

    // Assess
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('EACCES');
    expect(response.body).not.toContain('write failed');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      level: 'error',
      msg: 'request failed',
      requestId: 'req-1',
      method: 'PUT',
      path: '/pkg',
      status: 500,
      error: { message: 'write failed', cause: { message: 'EACCES /var/lib/registry' } },
    });
    expect(JSON.stringify(records[0])).toContain('stack');
  });

  it('turns thrown non-errors into a 500', async () => {
    // Act
    const response = await failingWith('plain string')(request(), recordingContext().ctx);

    // Assess
    expect(response.status).toBe(500);
  });

  it('logs client errors only at debug', async () => {
    // Prepare
    const debug = recordingContext('debug');
    const info = recordingContext('info');
    const pipeline = failingWith(new ConflictError('taken'));

    // Act
    await pipeline(request(), debug.ctx);
    await pipeline(request(), info.ctx);

    // Assess
    expect(debug.records).toEqual([
      expect.objectContaining({
        level: 'debug',
        msg: 'request rejected',
        status: 409,
        code: 'E409',
        reason: 'taken',
      }),
    ]);
    expect(info.records).toEqual([]);
  });

  it('still answers when the logger itself throws', async () => {
    // Prepare
    const ctx = createRequestContext(throwingLogger);

    // Act
    const server = await failingWith(new Error('boom'))(request(), ctx);
    const client = await failingWith(new ConflictError('taken'))(request(), ctx);

    // Assess
    expect(server.status).toBe(500);
    expect(client.status).toBe(409);
  });

  it('answers what `translate` makes of an error, and passes others through as they are', async () => {
    // Prepare
    const lowLevel = new Error('key exists');
    const translate = (error: unknown) =>
      error === lowLevel ? new ConflictError('version 1.0.0 already exists', { cause: error }) : error;
    const mapped = (error: unknown) =>
      compose(errorMapping({ translate }))(async () => {
        throw error;
      });

    // Act
    const translated = await mapped(lowLevel)(request(), recordingContext().ctx);
    const other = await mapped(new Error('boom'))(request(), recordingContext().ctx);

    // Assess
    expect(translated.status).toBe(409);
    expect(JSON.parse(translated.body as string)).toMatchObject({ error: 'version 1.0.0 already exists' });
    expect(other.status).toBe(500);
  });
});
