export { AppError, type AppErrorOptions, type HttpErrorOptions } from './AppError.ts';
export * from './httpErrors.ts';
export { isAppError, serializeError, toAppError, toClientBody } from './serialize.ts';
