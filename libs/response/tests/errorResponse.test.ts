import { AppError, BadRequestError, InternalError, NotFoundError, UnauthorizedError } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../src/index.ts';

function bodyOf(response: { body?: unknown }): Record<string, unknown> {
  return JSON.parse(response.body as string);
}

describe('errorResponse', () => {
  it('answers with the status and npm-style body of an AppError', () => {
    // Act
    const response = errorResponse(new NotFoundError('package "left-pad" not found'));

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/json');
    expect(bodyOf(response)).toEqual({ error: 'package "left-pad" not found', code: 'E404' });
  });

  it('carries the headers the error implies', () => {
    // Act
    const response = errorResponse(
      new UnauthorizedError('login first', { headers: { 'www-authenticate': 'Bearer' } }),
    );

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('sends exposed details next to the message', () => {
    // Act
    const response = errorResponse(new BadRequestError('invalid version', { details: { version: '1.x' } }));

    // Assess
    expect(bodyOf(response)).toEqual({ error: 'invalid version', code: 'E400', version: '1.x' });
  });

  it('hides the message, stack and cause of unexpected errors', () => {
    // Prepare
    const failure = new Error('connection string postgres://secret@db failed');

    // Act
    const response = errorResponse(failure);

    // Assess
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(response.body).not.toContain('at ');
    expect(bodyOf(response)).toEqual({ error: 'internal server error', code: 'E500' });
  });

  it('hides the message of a 5xx AppError', () => {
    expect(bodyOf(errorResponse(new InternalError('disk /var/data full')))).toEqual({
      error: 'internal server error',
      code: 'E500',
    });
  });

  it('never answers an error with a success status', () => {
    // Act
    const response = errorResponse(new AppError('odd', { status: 200 }));

    // Assess
    expect(response.status).toBe(500);
  });

  it('answers thrown non-errors with a generic 500', () => {
    expect(errorResponse('just a string').status).toBe(500);
  });
});
