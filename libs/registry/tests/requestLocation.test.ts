import { describe, expect, it } from 'vitest';
import { normalisePrefix, requestLocation } from '../src/http/requestLocation.ts';

describe('requestLocation', () => {
  it('uses the Host header over plain http by default', () => {
    expect(requestLocation({ host: '127.0.0.1:4873' })).toEqual({
      baseUrl: 'http://127.0.0.1:4873',
      prefix: '',
    });
  });

  it('lets a reverse proxy name protocol, host and mount path', () => {
    // Act
    const location = requestLocation({
      host: '10.0.0.5:4873',
      'x-forwarded-proto': 'HTTPS, http',
      'x-forwarded-host': 'npm.example.test, 10.0.0.1',
      'x-forwarded-prefix': '/registry/',
    });

    // Assess
    expect(location).toEqual({ baseUrl: 'https://npm.example.test/registry', prefix: '/registry' });
  });

  it('accepts bracketed IPv6 hosts', () => {
    expect(requestLocation({ host: '[::1]:8080' }).baseUrl).toBe('http://[::1]:8080');
  });

  it('refuses values that could not be part of a URL', () => {
    for (const headers of [
      {},
      { host: 'evil.test/path' },
      { host: 'a@b' },
      { host: 'ok.test', 'x-forwarded-proto': 'ftp' },
      { host: 'ok.test', 'x-forwarded-prefix': '/a b' },
    ]) {
      expect(() => requestLocation(headers)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  it('normalises mount paths', () => {
    expect(normalisePrefix('')).toBe('');
    expect(normalisePrefix('/')).toBe('');
    expect(normalisePrefix('npm')).toBe('/npm');
    expect(normalisePrefix('/a/b/')).toBe('/a/b');
  });
});
