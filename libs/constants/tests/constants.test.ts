import { describe, expect, it } from 'vitest';
import { ContentType, Header, HttpStatus, isServerError, NpmMediaType, reasonPhrase } from '../src/index.ts';

describe('HttpStatus', () => {
  it('names every code it holds with a reason phrase', () => {
    for (const code of Object.values(HttpStatus)) {
      expect(reasonPhrase(code)).not.toBe('Unknown');
    }
  });

  it('answers Unknown for a code it does not name', () => {
    expect(reasonPhrase(299)).toBe('Unknown');
  });

  it('classifies server errors', () => {
    expect(isServerError(HttpStatus.GATEWAY_TIMEOUT)).toBe(true);
    expect(isServerError(HttpStatus.NOT_FOUND)).toBe(false);
  });
});

describe('media types and headers', () => {
  it('uses the abbreviated packument type npm sends in Accept', () => {
    expect(NpmMediaType.ABBREVIATED).toBe('application/vnd.npm.install-v1+json');
    expect(ContentType.JSON).toBe(NpmMediaType.FULL);
  });

  it('keeps header names lower-case as Node and Lambda deliver them', () => {
    for (const name of Object.values(Header)) {
      expect(name).toBe(name.toLowerCase());
    }
  });
});
