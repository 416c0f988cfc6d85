import { HttpStatus } from '@myorg/constants';
import { AppError, type HttpErrorOptions } from './AppError.ts';

/** 400: the request is malformed or breaks a rule (bad name, bad semver, bad hash). */
export class BadRequestError extends AppError {
  constructor(message = 'bad request', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.BAD_REQUEST });
  }
}

/** 401: no credentials, or credentials that are not valid. */
export class UnauthorizedError extends AppError {
  constructor(message = 'authentication required', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.UNAUTHORIZED });
  }
}

/** 403: valid credentials that do not allow this action. */
export class ForbiddenError extends AppError {
  constructor(message = 'forbidden', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.FORBIDDEN });
  }
}

/** 404: the thing asked for does not exist. */
export class NotFoundError extends AppError {
  constructor(message = 'not found', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.NOT_FOUND });
  }
}

/** 405: the path exists but not for this method; `allow` lists the methods that are. */
export class MethodNotAllowedError extends AppError {
  constructor(allow: readonly string[], options: HttpErrorOptions = {}) {
    super(`method not allowed; use ${allow.join(', ')}`, {
      ...options,
      status: HttpStatus.METHOD_NOT_ALLOWED,
      headers: { ...options.headers, allow: allow.join(', ') },
    });
  }
}

/** 409: the write conflicts with what is stored (an existing version, a changed revision). */
export class ConflictError extends AppError {
  constructor(message = 'conflict', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.CONFLICT });
  }
}

/** 412: a conditional write whose condition (If-Match, If-None-Match) did not hold. */
export class PreconditionFailedError extends AppError {
  constructor(message = 'precondition failed', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.PRECONDITION_FAILED });
  }
}

/** 413: the body is larger than the configured limit. */
export class PayloadTooLargeError extends AppError {
  constructor(message = 'request entity too large', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.PAYLOAD_TOO_LARGE });
  }
}

/** 415: the body is not of a type the endpoint reads. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'unsupported media type', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.UNSUPPORTED_MEDIA_TYPE });
  }
}

/** 422: well-formed input whose content cannot be accepted. */
export class UnprocessableEntityError extends AppError {
  constructor(message = 'unprocessable entity', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.UNPROCESSABLE_ENTITY });
  }
}

/** 429: the caller is over a rate limit; `retryAfterSeconds` becomes `Retry-After`. */
export class TooManyRequestsError extends AppError {
  constructor(
    message = 'too many requests',
    options: HttpErrorOptions & { retryAfterSeconds?: number } = {},
  ) {
    const { retryAfterSeconds, ...rest } = options;
    super(message, {
      ...rest,
      status: HttpStatus.TOO_MANY_REQUESTS,
      headers:
        retryAfterSeconds === undefined
          ? rest.headers
          : { ...rest.headers, 'retry-after': String(retryAfterSeconds) },
    });
  }
}

/** 500: a fault of ours. Its message is never shown to clients. */
export class InternalError extends AppError {
  constructor(message = 'internal server error', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.INTERNAL_SERVER_ERROR });
  }
}

/** 501: a protocol feature this server does not offer. */
export class NotImplementedError extends AppError {
  constructor(message = 'not implemented', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.NOT_IMPLEMENTED, expose: options.expose ?? true });
  }
}

/** 502: a service behind us answered with something unusable. */
export class BadGatewayError extends AppError {
  constructor(message = 'bad gateway', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.BAD_GATEWAY, expose: options.expose ?? true });
  }
}

/** 503: a service behind us (storage, upstream) is unavailable. */
export class ServiceUnavailableError extends AppError {
  constructor(message = 'service unavailable', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.SERVICE_UNAVAILABLE, expose: options.expose ?? true });
  }
}

/** 504: a service behind us did not answer in time. */
export class GatewayTimeoutError extends AppError {
  constructor(message = 'gateway timeout', options: HttpErrorOptions = {}) {
    super(message, { ...options, status: HttpStatus.GATEWAY_TIMEOUT, expose: options.expose ?? true });
  }
}

const byStatus: Record<number, new (message?: string, options?: HttpErrorOptions) => AppError> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  422: UnprocessableEntityError,
  429: TooManyRequestsError,
  500: InternalError,
  501: NotImplementedError,
  502: BadGatewayError,
  503: ServiceUnavailableError,
  504: GatewayTimeoutError,
};

/** The error for a status received from elsewhere (an upstream registry, an HTTP API). */
export function errorFromStatus(status: number, message?: string, options: HttpErrorOptions = {}): AppError {
  const ErrorClass = byStatus[status];
  if (ErrorClass) return new ErrorClass(message, options);
  return new AppError(message ?? `HTTP ${status}`, { ...options, status });
}
