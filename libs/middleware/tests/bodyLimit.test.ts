import { PayloadTooLargeError } from '@myorg/error';
import { json } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import { BodyMessages, bodyLimit, compose, parseJsonBody, readBody, readJson } from '../src/index.ts';
import { recordingContext, request } from './helpers.ts';

/** A body that records whether anyone read from it or closed it. */
function watchedBody(parts: string[]) {
  const seen = { read: false, closed: false };
  async function* body() {
    try {
      for (const part of parts) {
        seen.read = true;
        yield new TextEncoder().encode(part);
      }
    } finally {
      seen.closed = true;
    }
  }
  return { body: body(), seen };
}

const echo = compose(bodyLimit(10))(async (req) => json(200, { text: (await readBody(req)).toString() }));

describe('bodyLimit', () => {
  it('words its 413 as the deployment says, declared or counted', async () => {
    const worded = compose(bodyLimit(10, (limit) => `over ${limit}: publish another way`))(async (req) =>
      json(200, { text: (await readBody(req)).toString() }),
    );
    const message = { message: 'over 10: publish another way' };
    const declared = request({ method: 'PUT', headers: { 'content-length': '11' }, body: ['x'.repeat(11)] });
    await expect(worded(declared, recordingContext().ctx)).rejects.toMatchObject(message);
    const counted = request({ method: 'PUT', body: ['x'.repeat(6), 'x'.repeat(6)] });
    await expect(worded(counted, recordingContext().ctx)).rejects.toMatchObject(message);
  });

  it('refuses a declared content-length over the limit without reading the body', async () => {
    // Prepare
    const { body, seen } = watchedBody(['x'.repeat(11)]);

    // Act
    const attempt = echo(
      { ...request({ method: 'PUT', headers: { 'content-length': '11' } }), body },
      recordingContext().ctx,
    );

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(seen.read).toBe(false);
  });

  it('throws a 413 while streaming once more bytes than allowed arrive', async () => {
    // Prepare
    const req = request({ method: 'PUT', body: ['12345', '67890', '1'] });

    // Act
    const attempt = echo(req, recordingContext().ctx);

    // Assess
    await expect(attempt).rejects.toMatchObject({ status: 413, details: { limit: 10 } });
  });

  it('passes bodies within the limit through unchanged', async () => {
    // Act
    const response = await echo(request({ method: 'PUT', body: ['12345', '67890'] }), recordingContext().ctx);

    // Assess
    expect(JSON.parse(response.body as string)).toEqual({ text: '1234567890' });
  });

  it('lets requests without a body pass', async () => {
    // Act
    const response = await echo(request(), recordingContext().ctx);

    // Assess
    expect(JSON.parse(response.body as string)).toEqual({ text: '' });
  });

  it('closes the source when the reader stops early', async () => {
    // Prepare
    const { body, seen } = watchedBody(['a', 'b', 'c']);
    const pipeline = compose(bodyLimit(10))(async (req) => {
      for await (const _chunk of req.body ?? []) break;
      return json(200, {});
    });

    // Act
    await pipeline({ ...request({ method: 'PUT' }), body }, recordingContext().ctx);

    // Assess
    expect(seen.closed).toBe(true);
  });
});

describe('readBody', () => {
  it('joins the chunks into one buffer', async () => {
    // Act
    const bytes = await readBody(request({ method: 'PUT', body: ['{"a"', ':', '1}'] }));

    // Assess
    expect(bytes.toString()).toBe('{"a":1}');
  });

  it('returns a single chunk without copying it', async () => {
    // Prepare
    const chunk = new TextEncoder().encode('only');
    async function* single() {
      yield chunk;
    }

    // Act
    const bytes = await readBody({ ...request({ method: 'PUT' }), body: single() });

    // Assess
    expect(bytes.buffer).toBe(chunk.buffer);
    expect(bytes.toString()).toBe('only');
  });

  it('enforces its own limit on the declared and the streamed length', async () => {
    await expect(
      readBody(request({ headers: { 'content-length': '100' }, body: ['x'] }), 10),
    ).rejects.toMatchObject({
      status: 413,
    });
    await expect(readBody(request({ body: ['123456', '789012'] }), 10)).rejects.toMatchObject({
      status: 413,
    });
    expect((await readBody(request({ body: ['123456'] }), 10)).toString()).toBe('123456');
  });

  it('turns a body that breaks off into a 400', async () => {
    // Prepare
    async function* broken() {
      yield new TextEncoder().encode('{"a":');
      throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    }

    // Act
    const attempt = readBody({ ...request({ method: 'PUT' }), body: broken() });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      message: 'the request body could not be read',
    });
  });
});

describe('readJson', () => {
  it('parses a JSON body', async () => {
    // Act
    const value = await readJson<{ name: string }>(request({ method: 'PUT', body: ['{"name":', '"pkg"}'] }));

    // Assess
    expect(value).toEqual({ name: 'pkg' });
  });

  it('answers malformed JSON with a 400 that says so', async () => {
    // Act
    const attempt = readJson(request({ method: 'PUT', body: ['{"name": pkg}'] }));

    // Assess
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      expose: true,
      message: expect.stringMatching(/^the request body is not valid JSON: /),
    });
  });

  it('leaves out the excerpt of the body the parser quotes, which may be a password', async () => {
    // Act
    const attempt = readJson(request({ method: 'PUT', body: ['{"password": hunter2}'] }));

    // Assess
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      message: expect.not.stringContaining('hunter'),
    });
  });

  it('answers a body nested deeper than the limit with a 400 that says so', async () => {
    // Prepare
    const depth = 10_000;
    const deep = `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;

    // Act
    const attempt = readJson(request({ method: 'PUT', body: [deep] }));

    // Assess
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      code: 'EJSONDEPTH',
      message: 'the request body nests deeper than 64 levels',
    });
    expect(BodyMessages.tooDeep).toBe('the request body nests deeper than 64 levels');
  });

  it('refuses a body with more object members than it is given', () => {
    // Act
    const attempt = () => parseJsonBody(Buffer.from('{"a":1,"b":{"c":2}}'), 2);

    // Assess
    expect(attempt).toThrow(BodyMessages.tooManyMembers(2));
    expect(BodyMessages.tooManyMembers(2)).toBe('the request body has more than 2 object members');
  });

  it('answers an empty body with a 400', async () => {
    await expect(readJson(request({ method: 'PUT' }))).rejects.toMatchObject({
      status: 400,
      message: 'the request body is empty; a JSON document was expected',
    });
  });

  it('applies the limit it is given', async () => {
    await expect(readJson(request({ method: 'PUT', body: ['{"a":"0123456789"}'] }), 8)).rejects.toMatchObject(
      {
        status: 413,
      },
    );
  });
});
