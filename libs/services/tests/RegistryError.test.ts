import { ConflictError, ForbiddenError } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { isPublishConflict, RegistryError } from '../src/index.ts';

function registryError(status: number, body: string): RegistryError {
  return new RegistryError(`${status} - PUT http://registry.test/pkg`, {
    status,
    method: 'PUT',
    url: 'http://registry.test/pkg',
    body,
  });
}

describe('isPublishConflict', () => {
  it('recognises a 409 and the EPUBLISHCONFLICT code', () => {
    expect(isPublishConflict(registryError(409, ''))).toBe(true);
    expect(isPublishConflict(new ConflictError('exists', { code: 'EPUBLISHCONFLICT' }))).toBe(true);
    expect(isPublishConflict(Object.assign(new Error('npm failed'), { code: 'EPUBLISHCONFLICT' }))).toBe(
      true,
    );
  });

  it('recognises npm’s “cannot publish over” text that comes with a 403', () => {
    const body = JSON.stringify({
      error: 'You cannot publish over the previously published versions: 1.0.0.',
    });
    expect(isPublishConflict(registryError(403, body))).toBe(true);
    expect(
      isPublishConflict(new ForbiddenError('You cannot publish over the previously published versions')),
    ).toBe(true);
  });

  it('recognises a registry code in the body of another status', () => {
    expect(isPublishConflict(registryError(400, '{"error":"exists","code":"EPUBLISHCONFLICT"}'))).toBe(true);
  });

  it('rejects other failures and non-errors', () => {
    expect(isPublishConflict(registryError(403, '{"error":"forbidden"}'))).toBe(false);
    expect(isPublishConflict(new Error('socket hang up'))).toBe(false);
    expect(isPublishConflict('E409')).toBe(false);
    expect(isPublishConflict(undefined)).toBe(false);
  });
});

describe('RegistryError', () => {
  it('carries status, E<status> code, method, url and body', () => {
    const error = registryError(418, 'teapot');
    expect(error).toMatchObject({
      name: 'RegistryError',
      status: 418,
      code: 'E418',
      method: 'PUT',
      url: 'http://registry.test/pkg',
      body: 'teapot',
      details: { method: 'PUT', url: 'http://registry.test/pkg' },
      expose: true,
    });
  });
});
