import { ValidationError } from '../../src/index.ts';

/** The ValidationError `act` throws; anything else it throws, or returning at all, fails the test. */
export function validationErrorFrom(act: () => unknown): ValidationError {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}
