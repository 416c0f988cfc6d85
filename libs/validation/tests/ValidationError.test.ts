import { BadRequestError, isAppError, toClientBody } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/index.ts';

describe('ValidationError', () => {
  it('is a BadRequestError with status 400 and code EVALIDATION by default', () => {
    // Act
    const error = new ValidationError(['a: required', 'b: too long']);

    // Assess
    expect(error).toBeInstanceOf(BadRequestError);
    expect(isAppError(error)).toBe(true);
    expect(error.name).toBe('ValidationError');
    expect(error.status).toBe(400);
    expect(error.code).toBe('EVALIDATION');
    expect(error.message).toBe('validation failed: a: required; b: too long');
  });

  it('hands the issues to clients next to the message', () => {
    // Prepare
    const error = new ValidationError(['name: required'], {
      subject: 'invalid body',
      code: 'EBADBODY',
      details: { field: 'name' },
    });

    // Act
    const body = toClientBody(error);

    // Assess
    expect(body).toEqual({
      error: 'invalid body: name: required',
      code: 'EBADBODY',
      field: 'name',
      issues: ['name: required'],
    });
  });

  it('still says something when given no issues', () => {
    expect(new ValidationError([]).issues).toEqual(['invalid input']);
  });

  it('keeps its own copy of the issues', () => {
    // Prepare
    const issues = ['x: bad'];

    // Act
    const error = new ValidationError(issues);
    issues.push('y: bad');

    // Assess
    expect(error.issues).toEqual(['x: bad']);
  });
});
