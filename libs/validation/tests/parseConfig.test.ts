import { describe, expect, it } from 'vitest';
import { parseConfig, z } from '../src/index.ts';
import { validationErrorFrom } from './support/validationErrorFrom.ts';

const positiveInteger = z.coerce.number().int().positive({ error: 'expected a positive integer' });

const registryEnv = z.object({
  REGISTRY_MAX_BODY: positiveInteger,
  REGISTRY_URL: z.url(),
  REGISTRY_UPLINKS: z.array(z.object({ url: z.url() })).default([]),
});

describe('parseConfig', () => {
  it('returns the parsed and coerced value', () => {
    // Act
    const config = parseConfig(registryEnv, {
      REGISTRY_MAX_BODY: '1048576',
      REGISTRY_URL: 'http://127.0.0.1:4873/',
    });

    // Assess
    expect(config).toEqual({
      REGISTRY_MAX_BODY: 1048576,
      REGISTRY_URL: 'http://127.0.0.1:4873/',
      REGISTRY_UPLINKS: [],
    });
  });

  it('lists every issue with its path', () => {
    // Act
    const error = validationErrorFrom(() =>
      parseConfig(registryEnv, { REGISTRY_MAX_BODY: '-5', REGISTRY_UPLINKS: [{ url: 'not a url' }] }),
    );

    // Assess
    expect(error.issues).toHaveLength(3);
    expect(error.issues[0]).toBe('REGISTRY_MAX_BODY: expected a positive integer');
    expect(error.issues[1]).toMatch(/^REGISTRY_URL: /);
    expect(error.issues[2]).toMatch(/^REGISTRY_UPLINKS\[0\]\.url: /);
    expect(error.message).toBe(`invalid configuration: ${error.issues.join('; ')}`);
    expect(error.code).toBe('EVALIDATION');
  });

  it('names the source it was given', () => {
    const error = validationErrorFrom(() => parseConfig(registryEnv, {}, 'environment'));
    expect(error.message).toMatch(/^invalid environment: REGISTRY_MAX_BODY: /);
  });

  it('shows an issue with the whole input as (root)', () => {
    const error = validationErrorFrom(() => parseConfig(registryEnv, 'not an object'));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(/^\(root\): /);
  });
});
