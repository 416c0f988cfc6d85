import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  normalizeScope,
  registryAuthKey,
  renderNpmrc,
  withTrailingSlash,
  writeNpmrc,
} from '../src/publish/index.ts';
import { tempDir } from './helpers/tempDir.ts';

const CODEARTIFACT = 'https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/';

describe('renderNpmrc', () => {
  it('writes the scope registry and an auth line that references an environment variable', () => {
    // Act
    const text = renderNpmrc({
      scope: '@myorg',
      registryUrl: CODEARTIFACT,
      tokenEnvVar: 'CODEARTIFACT_AUTH_TOKEN',
    });

    // Assess
    expect(text).toBe(
      [
        `@myorg:registry=${CODEARTIFACT}`,
        `//myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/:_authToken=\${CODEARTIFACT_AUTH_TOKEN}`,
        '',
      ].join('\n'),
    );
  });

  it('writes a literal token when asked, keyed by host, port and path', () => {
    const text = renderNpmrc({ scope: 'myorg', registryUrl: 'http://127.0.0.1:4873/npm', token: 'abc' });

    expect(text).toBe('@myorg:registry=http://127.0.0.1:4873/npm/\n//127.0.0.1:4873/npm/:_authToken=abc\n');
  });

  it('writes only the registry line without a token, and a default registry without a scope', () => {
    expect(renderNpmrc({ scope: '@myorg', registryUrl: 'http://127.0.0.1:4873/' })).toBe(
      '@myorg:registry=http://127.0.0.1:4873/\n',
    );
    expect(renderNpmrc({ registryUrl: 'http://127.0.0.1:4873/', token: 't' })).toBe(
      'registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=t\n',
    );
  });

  it('refuses ambiguous or unsafe input', () => {
    const registryUrl = 'http://127.0.0.1:4873/';
    expect(() => renderNpmrc({ scope: '@myorg', registryUrl, token: 'a', tokenEnvVar: 'B' })).toThrow(
      /not both/,
    );
    expect(() => renderNpmrc({ scope: '@myorg', registryUrl, tokenEnvVar: 'NOT VALID' })).toThrow(
      /invalid environment variable name/,
    );
    expect(() => renderNpmrc({ scope: '@myorg', registryUrl, token: 'a\n//evil/:_authToken=x' })).toThrow(
      /single line/,
    );
    expect(() => renderNpmrc({ scope: '@my org', registryUrl })).toThrow(/invalid npm scope/);
    expect(() => renderNpmrc({ scope: '@myorg', registryUrl: 'not a url' })).toThrow(/not an absolute URL/);
  });
});

describe('registry URL helpers', () => {
  it('drops protocol, credentials, query and fragment from the auth key', () => {
    expect(registryAuthKey('https://user:pw@host.example:8443/npm/repo?x=1#y')).toBe(
      '//host.example:8443/npm/repo/',
    );
  });

  it('adds the trailing slash only when missing', () => {
    expect(withTrailingSlash('http://h/npm')).toBe('http://h/npm/');
    expect(withTrailingSlash('http://h/npm/')).toBe('http://h/npm/');
  });

  it('puts the @ on a scope', () => {
    expect(normalizeScope('myorg')).toBe('@myorg');
    expect(normalizeScope('@myorg')).toBe('@myorg');
  });
});

describe('writeNpmrc', () => {
  it('writes the file readable by its owner only, even over an older copy', async () => {
    // Prepare
    const path = join(await tempDir(), '.npmrc');
    await writeFile(path, 'old', { mode: 0o644 });

    // Act
    await writeNpmrc(path, { scope: '@myorg', registryUrl: 'http://127.0.0.1:4873/', token: 'secret' });

    // Assess
    expect(await readFile(path, 'utf8')).toContain('//127.0.0.1:4873/:_authToken=secret');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
