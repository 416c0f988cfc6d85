import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, isLogLevel, memorySink, noopLogger } from '../src/index.ts';
import type { LogLevel } from '../src/types.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes level, ISO time, message, context and fields in that order', () => {
    // Prepare
    const sink = memorySink();
    const logger = createLogger({ sink, context: { service: 'registry' } });

    // Act
    logger.info('package published', { name: '@myorg/cli', version: '1.0.0' });

    // Assess
    const [record] = sink.records;
    expect(Object.keys(record ?? {})).toEqual(['level', 'time', 'msg', 'service', 'name', 'version']);
    expect(record).toMatchObject({
      level: 'info',
      msg: 'package published',
      service: 'registry',
      name: '@myorg/cli',
    });
    expect(new Date(record?.time ?? '').toISOString()).toBe(record?.time);
  });

  it('writes nothing below its level', () => {
    // Prepare
    const sink = memorySink();
    const logger = createLogger({ sink, level: 'warn' });

    // Act
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');

    // Assess
    expect(sink.records.map((record) => record.level)).toEqual(['warn', 'error']);
  });

  it('writes nothing at all when silent', () => {
    // Prepare
    const sink = memorySink();
    const logger = createLogger({ sink, level: 'silent' });

    // Act
    logger.error('e');

    // Assess
    expect(sink.records).toEqual([]);
    expect(logger.isLevelEnabled('error')).toBe(false);
  });

  it('tells which levels are enabled', () => {
    // Prepare
    const logger = createLogger({ sink: memorySink(), level: 'info' });

    // Act
    const enabled = (['debug', 'info', 'warn', 'error', 'silent'] as LogLevel[]).filter((level) =>
      logger.isLevelEnabled(level),
    );

    // Assess
    expect(enabled).toEqual(['info', 'warn', 'error']);
  });

  it('defaults to info', () => {
    vi.stubEnv('LOG_LEVEL', undefined);
    expect(createLogger({ sink: memorySink() }).level).toBe('info');
  });

  it('takes its level from LOG_LEVEL, in any case', () => {
    vi.stubEnv('LOG_LEVEL', ' DEBUG ');
    expect(createLogger({ sink: memorySink() }).level).toBe('debug');
  });

  it('prefers the level option over LOG_LEVEL', () => {
    vi.stubEnv('LOG_LEVEL', 'debug');
    expect(createLogger({ sink: memorySink(), level: 'error' }).level).toBe('error');
  });

  it('falls back to info and says so when LOG_LEVEL is unknown', () => {
    // Prepare
    vi.stubEnv('LOG_LEVEL', 'verbose');
    const sink = memorySink();

    // Act
    const logger = createLogger({ sink });

    // Assess
    expect(logger.level).toBe('info');
    expect(sink.records).toMatchObject([{ level: 'warn', LOG_LEVEL: 'verbose' }]);
  });

  it('refuses an unknown level option', () => {
    expect(() => createLogger({ level: 'trace' as LogLevel })).toThrow(TypeError);
  });

  it('keeps fields named like the record keys under an underscore', () => {
    // Prepare
    const sink = memorySink();
    const logger = createLogger({ sink, context: { msg: 'from context' } });

    // Act
    logger.info('real message', { level: 'fake', time: 0 });

    // Assess
    expect(sink.records[0]).toMatchObject({
      level: 'info',
      msg: 'real message',
      _msg: 'from context',
      _level: 'fake',
      _time: 0,
    });
  });

  it('treats an Error passed as fields as the err field', () => {
    // Prepare
    const sink = memorySink();
    const logger = createLogger({ sink });

    // Act
    logger.error('failed', new Error('boom') as unknown as Record<string, unknown>);

    // Assess
    expect(sink.records[0]?.err).toMatchObject({ name: 'Error', message: 'boom' });
  });

  it('wraps fields that are not an object', () => {
    // Prepare
    const sink = memorySink();
    const logger = createLogger({ sink });

    // Act
    logger.info('odd call', 'plain text' as unknown as Record<string, unknown>);

    // Assess
    expect(sink.records[0]).toMatchObject({ msg: 'odd call', fields: 'plain text' });
  });

  it('still writes the line when the fields cannot be read at all', () => {
    // Prepare
    const sink = memorySink();
    const logger = createLogger({ sink });
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );

    // Act
    logger.warn('hostile fields', { hostile });

    // Assess
    expect(sink.records).toHaveLength(1);
    expect(sink.records[0]).toMatchObject({ level: 'warn', msg: 'hostile fields' });
    expect(sink.records[0]?.logError).toContain('no keys for you');
  });

  it('keeps working when a method is called detached from the logger', () => {
    // Prepare
    const sink = memorySink();
    const { info } = createLogger({ sink });

    // Act
    info('detached');

    // Assess
    expect(sink.records[0]?.msg).toBe('detached');
  });
});

describe('child', () => {
  it('adds its context on top of the parent context', () => {
    // Prepare
    const sink = memorySink();
    const root = createLogger({ sink, context: { service: 'registry', region: 'eu-west-1' } });

    // Act
    root.child({ requestId: 'r-1' }).child({ region: 'us-east-1' }).info('handled');

    // Assess
    expect(sink.records[0]).toMatchObject({ service: 'registry', requestId: 'r-1', region: 'us-east-1' });
  });

  it('leaves the parent untouched and shares its level', () => {
    // Prepare
    const sink = memorySink();
    const root = createLogger({ sink, level: 'warn' });
    const child = root.child({ requestId: 'r-2' });

    // Act
    root.warn('from root');
    child.info('too low');

    // Assess
    expect(child.level).toBe('warn');
    expect(sink.records).toHaveLength(1);
    expect(sink.records[0]).not.toHaveProperty('requestId');
  });

  it('snapshots its context so later changes to the object do not leak in', () => {
    // Prepare
    const sink = memorySink();
    const context: Record<string, unknown> = { user: 'alice' };
    const child = createLogger({ sink }).child(context);

    // Act
    context.user = 'mallory';
    child.info('who');

    // Assess
    expect(sink.records[0]?.user).toBe('alice');
  });

  it('redacts secrets in its context', () => {
    // Prepare
    const sink = memorySink();

    // Act
    createLogger({ sink })
      .child({ headers: { authorization: 'Bearer abc' } })
      .info('request');

    // Assess
    expect(sink.records[0]?.headers).toEqual({ authorization: '[REDACTED]' });
  });
});

describe('noopLogger', () => {
  it('is silent, enables nothing and returns itself as child', () => {
    // Act
    noopLogger.error('ignored', { a: 1 });

    // Assess
    expect(noopLogger.level).toBe('silent');
    expect(noopLogger.isLevelEnabled('error')).toBe(false);
    expect(noopLogger.child({ a: 1 })).toBe(noopLogger);
  });
});

describe('isLogLevel', () => {
  it('knows the level names and nothing else', () => {
    expect(['debug', 'info', 'warn', 'error', 'silent'].every(isLogLevel)).toBe(true);
    expect(isLogLevel('trace')).toBe(false);
    expect(isLogLevel('toString')).toBe(false);
    expect(isLogLevel(undefined)).toBe(false);
  });
});
