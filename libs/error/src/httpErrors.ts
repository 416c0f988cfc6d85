import { HttpStatus } from '@myorg/constants';
import { AppError, type HttpErrorOptions } from './AppError.ts';

/**
 * The base of one fixed-status error class: each class below is a line that names it, so that
 * `instanceof` and `error.name` tell them apart. 5xx messages stay hidden by default (AppError's
 * rule) unless the class says the message is about a service behind us, safe to show.
 */
function fixedStatus(status: number, defaultMessage: string, expose?: true) {
  return class extends AppError {
    static readonly status = status;

    constructor(message = defaultMessage, options: HttpErrorOptions = {}) {
      super(message, { ...options, status, expose: options.expose ?? expose });
    }
  };
}

/** 400: the request is malformed or breaks a rule (bad name, bad semver, bad hash). */
export class BadRequestError extends fixedStatus(HttpStatus.BAD_REQUEST, 'bad request') {}
/** 401: no credentials, or credentials that are not valid. */
export class UnauthorizedError extends fixedStatus(HttpStatus.UNAUTHORIZED, 'authentication required') {}
/** 403: valid credentials that do not allow this action. */
export class ForbiddenError extends fixedStatus(HttpStatus.FORBIDDEN, 'forbidden') {}
/** 404: the thing asked for does not exist. */
export class NotFoundError extends fixedStatus(HttpStatus.NOT_FOUND, 'not found') {}
/** 409: the write conflicts with what is stored (an existing version, a changed revision). */
export class ConflictError extends fixedStatus(HttpStatus.CONFLICT, 'conflict') {}
/** 412: a conditional write whose condition (If-Match, If-None-Match) did not hold. */
export class PreconditionFailedError extends fixedStatus(
  HttpStatus.PRECONDITION_FAILED,
  'precondition failed',
) {}
/** 413: the body is larger than the configured limit. */
export class PayloadTooLargeError extends fixedStatus(
  HttpStatus.PAYLOAD_TOO_LARGE,
  'request entity too large',
) {}
/** 415: the body is not of a type the endpoint reads. */
export class UnsupportedMediaTypeError extends fixedStatus(
  HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'unsupported media type',
) {}
/** 422: well-formed input whose content cannot be accepted. */
export class UnprocessableEntityError extends fixedStatus(
  HttpStatus.UNPROCESSABLE_ENTITY,
  'unprocessable entity',
) {}
/** 500: a fault of ours. Its message is never shown to clients. */
export class InternalError extends fixedStatus(HttpStatus.INTERNAL_SERVER_ERROR, 'internal server error') {}
/** 501: a protocol feature this server does not offer. */
export class NotImplementedError extends fixedStatus(HttpStatus.NOT_IMPLEMENTED, 'not implemented', true) {}
/** 502: a service behind us answered with something unusable. */
export class BadGatewayError extends fixedStatus(HttpStatus.BAD_GATEWAY, 'bad gateway', true) {}
/** 503: a service behind us (storage, upstream) is unavailable. */
export class ServiceUnavailableError extends fixedStatus(
  HttpStatus.SERVICE_UNAVAILABLE,
  'service unavailable',
  true,
) {}
/** 504: a service behind us did not answer in time. */
export class GatewayTimeoutError extends fixedStatus(HttpStatus.GATEWAY_TIMEOUT, 'gateway timeout', true) {}

/** 405: the path exists but not for this method; `allow` lists the methods that are. */
export class MethodNotAllowedError extends fixedStatus(HttpStatus.METHOD_NOT_ALLOWED, 'method not allowed') {
  constructor(allow: readonly string[], options: HttpErrorOptions = {}) {
    const methods = allow.join(', ');
    super(`method not allowed; use ${methods}`, {
      ...options,
      headers: { ...options.headers, allow: methods },
    });
  }
}

/** 429: the caller is over a rate limit; `retryAfterSeconds` becomes `Retry-After`. */
export class TooManyRequestsError extends fixedStatus(HttpStatus.TOO_MANY_REQUESTS, 'too many requests') {
  constructor(message?: string, options: HttpErrorOptions & { retryAfterSeconds?: number } = {}) {
    const { retryAfterSeconds, ...rest } = options;
    const headers =
      retryAfterSeconds === undefined
        ? rest.headers
        : { ...rest.headers, 'retry-after': String(retryAfterSeconds) };
    super(message, { ...rest, headers });
  }
}

/** The classes a status received from elsewhere maps to; 405 is left out, as its constructor wants the allowed methods. */
const byStatus = new Map(
  [
    BadRequestError,
    UnauthorizedError,
    ForbiddenError,
    NotFoundError,
    ConflictError,
    PreconditionFailedError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    UnprocessableEntityError,
    TooManyRequestsError,
    InternalError,
    NotImplementedError,
    BadGatewayError,
    ServiceUnavailableError,
    GatewayTimeoutError,
  ].map((ErrorClass) => [ErrorClass.status, ErrorClass]),
);

/** The error for a status received from elsewhere (an upstream registry, an HTTP API). */
export function errorFromStatus(status: number, message?: string, options: HttpErrorOptions = {}): AppError {
  const ErrorClass = byStatus.get(status);
  if (ErrorClass) return new ErrorClass(message, options);
  return new AppError(message ?? `HTTP ${status}`, { ...options, status });
}
