import { describe, expect, it } from 'vitest';
import {
  AppError,
  BadGatewayError,
  BadRequestError,
  ConflictError,
  errorFromStatus,
  ForbiddenError,
  GatewayTimeoutError,
  InternalError,
  MethodNotAllowedError,
  NotFoundError,
  NotImplementedError,
  PayloadTooLargeError,
  PreconditionFailedError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from '../src/index.ts';

describe('Class: AppError', () => {
  it('derives an npm-style code from the status', () => {
    const error = new AppError('boom', { status: 418 });
    expect(error.code).toBe('E418');
    expect(error.name).toBe('AppError');
    expect(error.expose).toBe(true);
  });

  it('keeps the cause and hides 5xx messages by default', () => {
    const cause = new Error('disk on fire');
    const error = new AppError('could not write', { cause });
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(500);
    expect(error.expose).toBe(false);
  });

  it('takes an explicit code over the derived one', () => {
    expect(new ConflictError('exists', { code: 'EPUBLISHCONFLICT' }).code).toBe('EPUBLISHCONFLICT');
  });
});

describe('fixed-status subclasses', () => {
  it.each([
    [BadRequestError, 400],
    [UnauthorizedError, 401],
    [ForbiddenError, 403],
    [NotFoundError, 404],
    [ConflictError, 409],
    [PreconditionFailedError, 412],
    [PayloadTooLargeError, 413],
    [UnsupportedMediaTypeError, 415],
    [UnprocessableEntityError, 422],
    [TooManyRequestsError, 429],
    [InternalError, 500],
    [NotImplementedError, 501],
    [BadGatewayError, 502],
    [ServiceUnavailableError, 503],
    [GatewayTimeoutError, 504],
  ] as const)('%o answers %i with its own name and code', (ErrorClass, status) => {
    const error = new ErrorClass();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
    expect(error.code).toBe(`E${status}`);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('exposes gateway and availability errors but not internal ones', () => {
    expect(new ServiceUnavailableError().expose).toBe(true);
    expect(new GatewayTimeoutError().expose).toBe(true);
    expect(new InternalError().expose).toBe(false);
  });

  it('lists the allowed methods of a 405 in the Allow header', () => {
    const error = new MethodNotAllowedError(['GET', 'HEAD']);
    expect(error.headers.allow).toBe('GET, HEAD');
    expect(error.message).toContain('GET, HEAD');
  });

  it('sets Retry-After on a 429 when told how long to wait', () => {
    expect(new TooManyRequestsError('slow down', { retryAfterSeconds: 30 }).headers['retry-after']).toBe(
      '30',
    );
    expect(new TooManyRequestsError().headers['retry-after']).toBeUndefined();
  });
});

describe('Function: errorFromStatus', () => {
  it('picks the matching class for a known status', () => {
    const error = errorFromStatus(404, 'no such package');
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('no such package');
  });

  it('falls back to a plain AppError for other statuses', () => {
    const error = errorFromStatus(418);
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(418);
    expect(error.message).toBe('HTTP 418');
  });
});
