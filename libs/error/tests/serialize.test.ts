import { describe, expect, it } from 'vitest';
import {
  AppError,
  ConflictError,
  InternalError,
  isAppError,
  NotFoundError,
  serializeError,
  toAppError,
  toClientBody,
} from '../src/index.ts';

describe('Function: toClientBody', () => {
  it('shows a client error message and its details', () => {
    // Prepare
    const error = new ConflictError('cannot publish over 1.0.0', { details: { version: '1.0.0' } });

    // Act
    const body = toClientBody(error);

    // Assess
    expect(body).toEqual({ error: 'cannot publish over 1.0.0', code: 'E409', version: '1.0.0' });
  });

  it('never sends the text, stack or cause of a hidden error', () => {
    // Prepare
    const secret = new Error('ENOENT /var/lib/registry/private/path');

    // Act
    const body = toClientBody(secret);
    const serialised = JSON.stringify(body);

    // Assess
    expect(body).toEqual({ error: 'internal server error', code: 'E500' });
    expect(serialised).not.toContain('/var/lib');
    expect(serialised).not.toContain('stack');
  });

  it('does not let details override the message', () => {
    const error = new NotFoundError('no such package', { details: { error: 'spoofed' } });
    expect(toClientBody(error).error).toBe('no such package');
  });
});

describe('Function: toAppError', () => {
  it('passes AppErrors through unchanged', () => {
    const error = new NotFoundError();
    expect(toAppError(error)).toBe(error);
  });

  it('wraps anything else as a 500 that keeps the original as cause', () => {
    const original = new TypeError('x is undefined');
    const wrapped = toAppError(original);
    expect(wrapped).toBeInstanceOf(InternalError);
    expect(wrapped.cause).toBe(original);
    expect(toAppError('a string').status).toBe(500);
  });
});

describe('Function: isAppError', () => {
  it('recognises an AppError from another copy of the package by shape', () => {
    const foreign = Object.assign(new Error('gone'), { status: 404, code: 'E404', expose: true });
    expect(isAppError(foreign)).toBe(true);
    expect(isAppError(new Error('plain'))).toBe(false);
    expect(isAppError({ status: 404, code: 'E404', expose: true })).toBe(false);
  });
});

describe('Function: serializeError', () => {
  it('keeps status, code, details and the chain of causes for logs', () => {
    // Prepare
    const root = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = new AppError('upstream unreachable', {
      status: 503,
      cause: root,
      details: { upstream: 'u1' },
    });

    // Act
    const out = serializeError(error);

    // Assess
    expect(out).toMatchObject({
      name: 'AppError',
      message: 'upstream unreachable',
      status: 503,
      code: 'E503',
      details: { upstream: 'u1' },
      cause: { name: 'Error', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
    });
    expect(typeof out.stack).toBe('string');
  });

  it('describes thrown non-errors and stops on cause cycles', () => {
    expect(serializeError(42)).toEqual({ message: '42' });
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    let depth = 0;
    for (let node = serializeError(a); node.cause; node = node.cause as Record<string, unknown>) depth++;
    expect(depth).toBe(5);
  });
});
