import { describe, expect, it } from 'vitest';
import { registryUrl } from '../src/registryUrl.ts';

describe('registryUrl', () => {
  it('takes the registry from the page URL first', () => {
    const url = registryUrl(
      'http://ui.test/?registry=http://127.0.0.1:4873/npm#/package/x',
      'http://built.test/',
    );

    expect(url).toBe('http://127.0.0.1:4873/npm/');
  });

  it('falls back to the URL fixed at build time, then to the site itself', () => {
    expect(registryUrl('http://ui.test/app/', 'https://registry.test')).toBe('https://registry.test/');
    expect(registryUrl('http://ui.test/app/', undefined)).toBe('http://ui.test/');
  });

  it('resolves a relative registry against the page', () => {
    expect(registryUrl('http://ui.test/app/?registry=/registry', undefined)).toBe('http://ui.test/registry/');
  });

  it('refuses anything but http and https', () => {
    expect(() => registryUrl('http://ui.test/?registry=javascript:alert(1)', undefined)).toThrow(
      /http or https/,
    );
  });
});
