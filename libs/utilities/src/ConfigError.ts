import { BadRequestError, type HttpErrorOptions } from '@myorg/error';

/**
 * Configuration that cannot be used: a missing or malformed environment variable, or a bad
 * `${VAR}` reference. Code `ECONFIG`; `details.missing` lists unset variables when that is the cause.
 */
export class ConfigError extends BadRequestError {
  constructor(message: string, options: HttpErrorOptions = {}) {
    super(message, { ...options, code: options.code ?? 'ECONFIG' });
  }
}
