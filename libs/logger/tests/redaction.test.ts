import { AppError, NotFoundError } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../src/index.ts';
import { defaultRedactKeys, REDACTED, redactText } from '../src/redact.ts';

function logOnce(fields: Record<string, unknown>, options: { redact?: string[] } = {}) {
  const sink = memorySink();
  createLogger({ sink, level: 'debug', ...options }).info('test', fields);
  const [record] = sink.records;
  if (!record) throw new Error('nothing was logged');
  return record;
}

describe('key redaction', () => {
  it.each([
    'authorization',
    'Authorization',
    'proxy-authorization',
    'cookie',
    'Set-Cookie',
    'password',
    'dbPassword',
    '_password',
    'token',
    '_authToken',
    'npmToken',
    'REFRESH_TOKEN',
    '_auth',
    'secret',
    'clientSecret',
    'secretAccessKey',
    'accessKeyId',
    'AccessKey',
    'npm-otp',
  ])('redacts %s', (key) => {
    expect(logOnce({ [key]: 'sensitive' })[key]).toBe(REDACTED);
  });

  it.each(['user', 'tokens_used', 'tokenCount', 'passwordPolicy', 'secretName', 'keyId'])(
    'keeps %s',
    (key) => {
      expect(logOnce({ [key]: 'visible' })[key]).toBe('visible');
    },
  );

  it('redacts at any depth, in arrays and in maps', () => {
    // Act
    const record = logOnce({
      req: { headers: { Authorization: 'x', accept: 'application/json' } },
      uplinks: [{ url: 'http://127.0.0.1', token: 't1' }],
      env: new Map<string, unknown>([
        ['NPM_TOKEN', 't2'],
        ['HOME', '/root'],
      ]),
    });

    // Assess
    expect(record.req).toEqual({ headers: { Authorization: REDACTED, accept: 'application/json' } });
    expect(record.uplinks).toEqual([{ url: 'http://127.0.0.1', token: REDACTED }]);
    expect(record.env).toEqual({ NPM_TOKEN: REDACTED, HOME: '/root' });
  });

  it('redacts whole objects under a secret key', () => {
    expect(logOnce({ cookie: { session: 'abc' } }).cookie).toBe(REDACTED);
  });

  it('leaves an absent secret absent', () => {
    expect(logOnce({ token: undefined })).not.toHaveProperty('token');
  });

  it('adds the extra keys it is given, with wildcards', () => {
    // Act
    const record = logOnce(
      { sessionId: 's', signature: 'sig', signatureVersion: 'v4', apiKeyHeader: 'k', plain: 'p' },
      { redact: ['SessionId', 'signature*', '*key*'] },
    );

    // Assess
    expect(record).toMatchObject({
      sessionId: REDACTED,
      signature: REDACTED,
      signatureVersion: REDACTED,
      apiKeyHeader: REDACTED,
      plain: 'p',
    });
  });

  it('lists the default keys it redacts', () => {
    expect(defaultRedactKeys).toEqual(
      expect.arrayContaining(['authorization', '*token', 'accessKey*', 'npm-otp']),
    );
  });
});

describe('text redaction', () => {
  it.each([
    ['Authorization: Bearer npm_abcdef123456', `Authorization: Bearer ${REDACTED}`],
    ['header was bearer eyJhbGciOi.eyJzdWIi.sig-_', `header was bearer ${REDACTED}`],
    ['Basic dXNlcjpwYXNz', `Basic ${REDACTED}`],
    ['Basic dXNlcjpw== rest', `Basic ${REDACTED} rest`],
    ['//npm.example.test/:_authToken=abc123', `//npm.example.test/:_authToken=${REDACTED}`],
    [
      '//host/:_auth = dXNlcjpwYXNz\n//host/:_password="cGFzcw=="',
      `//host/:_auth = ${REDACTED}\n//host/:_password=${REDACTED}`,
    ],
    [
      'fetch https://admin:s3cret@127.0.0.1:4873/pkg failed',
      `fetch https://admin:${REDACTED}@127.0.0.1:4873/pkg failed`,
    ],
    ['/-/user/token/myorg_AbC-9_x', `/-/user/token/${REDACTED}`],
    [
      'no such endpoint: GET /npm/-/user/token/myorg_AbC/x',
      `no such endpoint: GET /npm/-/user/token/${REDACTED}/x`,
    ],
    ['/-/npm/v1/tokens/token/myorg_AbC-9_x', `/-/npm/v1/tokens/token/${REDACTED}`],
  ])('redacts %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET /@myorg%2fcli 200 in 12ms from http://127.0.0.1:4873/ token count 3';
    expect(redactText(text)).toBe(text);
  });

  it('redacts credentials in the message and in nested strings', () => {
    // Prepare
    const sink = memorySink();

    // Act
    createLogger({ sink }).warn('upstream said Bearer abc.def', { npmrc: ['//h/:_authToken=xyz'] });

    // Assess
    expect(sink.records[0]?.msg).toBe(`upstream said Bearer ${REDACTED}`);
    expect(sink.records[0]?.npmrc).toEqual([`//h/:_authToken=${REDACTED}`]);
  });

  it('redacts the password of a URL object', () => {
    expect(logOnce({ uplink: new URL('https://ci:hunter2@127.0.0.1:8080/npm/') }).uplink).toBe(
      `https://ci:${REDACTED}@127.0.0.1:8080/npm/`,
    );
  });
});

describe('errors in fields', () => {
  it('writes an AppError as name, message, code, status and stack', () => {
    // Act
    const record = logOnce({ err: new NotFoundError('package not found') });

    // Assess
    expect(record.err).toEqual({
      name: 'NotFoundError',
      message: 'package not found',
      code: 'E404',
      status: 404,
      stack: expect.stringContaining('NotFoundError: package not found'),
    });
  });

  it('keeps the cause chain and the own fields of other errors', () => {
    // Prepare
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      port: 5432,
    });

    // Act
    const record = logOnce({ err: new AppError('storage down', { status: 503, cause }) });

    // Assess
    expect(record.err).toMatchObject({
      status: 503,
      code: 'E503',
      cause: { message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
    });
    expect(logOnce({ err: cause }).err).toMatchObject({
      code: 'ECONNREFUSED',
      syscall: 'connect',
      port: 5432,
    });
  });

  it('redacts secrets carried by an error', () => {
    // Prepare
    const error = Object.assign(new Error('request with Bearer abc failed'), {
      config: { headers: { authorization: 'Bearer abc' } },
    });

    // Act
    const record = logOnce({ err: error });

    // Assess
    expect(record.err).toMatchObject({
      message: `request with Bearer ${REDACTED} failed`,
      config: { headers: { authorization: REDACTED } },
    });
    expect(JSON.stringify(record)).not.toContain('abc');
  });
});

describe('values JSON cannot take as they are', () => {
  it('marks cycles instead of throwing', () => {
    // Prepare
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a];
    const error = new Error('loop') as Error & { again?: unknown };
    error.again = error;

    // Act
    const record = logOnce({ a, error });

    // Assess
    expect(record.a).toEqual({ name: 'a', self: '[Circular]', list: ['[Circular]'] });
    expect(record.error).toMatchObject({ message: 'loop', again: '[Circular]' });
  });

  it('repeats an object that is shared but not circular', () => {
    // Prepare
    const shared = { v: 1 };

    // Act
    const record = logOnce({ left: shared, right: shared });

    // Assess
    expect(record).toMatchObject({ left: { v: 1 }, right: { v: 1 } });
  });

  it('turns bigints, symbols, functions, dates, sets and binary data into readable values', () => {
    // Act
    const record = logOnce({
      size: 2n ** 70n,
      kind: Symbol('tarball'),
      handler: function onRequest() {},
      at: new Date('2024-05-01T00:00:00.000Z'),
      never: new Date(Number.NaN),
      tags: new Set(['latest', 'next']),
      body: Buffer.alloc(2048),
      raw: new ArrayBuffer(16),
    });

    // Assess
    expect(record).toMatchObject({
      size: '1180591620717411303424',
      kind: 'Symbol(tarball)',
      handler: '[Function onRequest]',
      at: '2024-05-01T00:00:00.000Z',
      never: 'Invalid Date',
      tags: ['latest', 'next'],
      body: '[Buffer 2048 bytes]',
      raw: '[ArrayBuffer 16 bytes]',
    });
  });

  it('cuts off structures nested too deep', () => {
    // Prepare
    let deep: Record<string, unknown> = { bottom: true };
    for (let i = 0; i < 20; i += 1) deep = { deeper: deep };

    // Act
    const text = JSON.stringify(logOnce({ deep }));

    // Assess
    expect(text).toContain('[Truncated]');
    expect(text).not.toContain('bottom');
  });

  it('keeps a __proto__ key from parsed JSON as a plain field', () => {
    // Prepare
    const body = JSON.parse('{"__proto__": {"polluted": true}, "name": "pkg"}') as Record<string, unknown>;

    // Act
    const record = logOnce({ body, ...body });

    // Assess
    expect(JSON.stringify(record.body)).toBe('{"__proto__":{"polluted":true},"name":"pkg"}');
    expect(Object.hasOwn(record, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives a getter that throws', () => {
    // Prepare
    const tricky = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });

    // Act
    const record = logOnce({ tricky });

    // Assess
    expect(record.tricky).toEqual({ ok: 1, bad: '[Unreadable]' });
  });

  it('survives a getter that throws among the top-level fields', () => {
    // Prepare
    const fields = Object.defineProperty({ ok: 1, note: 'Bearer abc' }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });

    // Act
    const record = logOnce(fields);

    // Assess
    expect(record).toMatchObject({ ok: 1, note: `Bearer ${REDACTED}`, bad: '[Unreadable]' });
  });

  it('treats flat fields of a class instance like any other object', () => {
    // Prepare
    class Request {
      path = '/a';
      authorization = 'Basic xyz';
    }

    // Act
    const record = logOnce({ ...new Request(), request: new Request() });

    // Assess
    expect(record).toMatchObject({ path: '/a', authorization: REDACTED });
    expect(record.request).toEqual({ path: '/a', authorization: REDACTED });
  });
});
