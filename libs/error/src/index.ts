export { AppError, type AppErrorOptions, type HttpErrorOptions } from './AppError.ts';
export {
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
} from './httpErrors.ts';
export { type ClientErrorBody, isAppError, serializeError, toAppError, toClientBody } from './serialize.ts';
