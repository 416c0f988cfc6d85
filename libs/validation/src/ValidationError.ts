import { BadRequestError, type HttpErrorOptions } from '@myorg/error';

export interface ValidationErrorOptions extends Omit<HttpErrorOptions, 'expose'> {
  /** What was checked, to lead the message: `invalid package name "Foo"`. Defaults to `validation failed`. */
  subject?: string;
}

/**
 * A 400 that lists every rule the input broke. The issues also go into `details`, so that
 * `toClientBody` hands them to API clients while npm still prints the one-line message.
 */
export class ValidationError extends BadRequestError {
  readonly issues: string[];

  constructor(issues: readonly string[], options: ValidationErrorOptions = {}) {
    const { subject = 'validation failed', code = 'EVALIDATION', details, ...rest } = options;
    const list = issues.length > 0 ? [...issues] : ['invalid input'];
    super(`${subject}: ${list.join('; ')}`, { ...rest, code, details: { ...details, issues: list } });
    this.issues = list;
  }
}
