import { AppError, BadRequestError, toClientBody } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveEnv, substituteEnv, substituteEnvDeep } from '../src/index.ts';

const env = { HOME: '/home/ci', TOKEN: 's3cret', EMPTY: '' };

describe('substituteEnv', () => {
  it('replaces a variable reference with its value', () => {
    expect(substituteEnv(`//npm.example.test/:_authToken=\${TOKEN}`, env)).toEqual({
      value: '//npm.example.test/:_authToken=s3cret',
      missing: [],
    });
  });

  it('uses a :- default when the variable is unset or empty, like the shell', () => {
    expect(substituteEnv(`\${UNSET:-a}|\${EMPTY:-b}|\${HOME:-c}`, env).value).toBe('a|b|/home/ci');
  });

  it('uses a - default only when the variable is unset', () => {
    expect(substituteEnv(`[\${UNSET-a}][\${EMPTY-b}]`, env).value).toBe('[a][]');
  });

  it('allows an empty default and defaults holding spaces or colons', () => {
    expect(substituteEnv(`[\${UNSET:-}][\${UNSET:-http://localhost:4873 x}]`, env).value).toBe(
      '[][http://localhost:4873 x]',
    );
  });

  it('reports each unset variable once, in order of first use, and leaves it empty', () => {
    expect(substituteEnv(`\${B}/\${A}/\${B}/\${TOKEN}`, env)).toEqual({
      value: '///s3cret',
      missing: ['B', 'A'],
    });
  });

  it('does not count a variable set to an empty string as missing', () => {
    expect(substituteEnv(`[\${EMPTY}]`, env)).toEqual({ value: '[]', missing: [] });
  });

  it('treats \\${ as a literal ${ and keeps other $ and \\ as written', () => {
    expect(substituteEnv(`\\\${TOKEN} costs $5 in C:\\tmp $\${TOKEN}`, env).value).toBe(
      `\${TOKEN} costs $5 in C:\\tmp $s3cret`,
    );
  });

  it('inserts values verbatim, even ones that look like replacement patterns or references', () => {
    // Prepare
    const tricky = { A: '$& $1 $$', B: `\${A}` };

    // Act
    const { value } = substituteEnv(`\${A}|\${B}`, tricky);

    // Assess
    expect(value).toBe(`$& $1 $$|\${A}`);
  });

  it('never resolves a name to an inherited object member', () => {
    expect(substituteEnv(`\${constructor}\${toString:-none}`, {})).toEqual({
      value: 'none',
      missing: ['constructor'],
    });
  });

  it.each([`\${NPM TOKEN}`, `\${}`, `\${1ABC}`, `\${A:+x}`, `prefix \${UNCLOSED`])(
    'throws a ConfigError for the malformed reference %j',
    (template) => {
      expect(() => substituteEnv(template, env)).toThrow(ConfigError);
      expect(() => substituteEnv(template, env)).toThrow(/environment variable reference/);
    },
  );

  it('reads process.env by default', () => {
    // Prepare
    const name = `MYORG_UTILITIES_TEST_${process.pid}`;
    process.env[name] = 'from-process';

    try {
      // Act
      const { value } = substituteEnv(`\${${name}}`);

      // Assess
      expect(value).toBe('from-process');
    } finally {
      delete process.env[name];
    }
  });
});

describe('substituteEnvDeep', () => {
  it('substitutes strings inside objects and arrays and leaves other values alone', () => {
    // Prepare
    const when = new Date(0);
    const referenceKey = `\${TOKEN}`;
    const config = {
      port: 4873,
      enabled: true,
      nothing: null,
      storage: { dir: `\${HOME}/data`, when },
      uplinks: [{ url: `\${UPSTREAM:-http://127.0.0.1:9}`, token: `\${TOKEN}` }, `\${NOPE}`],
      [referenceKey]: 'keys are not substituted',
    };

    // Act
    const result = substituteEnvDeep(config, env);

    // Assess
    expect(result.value).toEqual({
      port: 4873,
      enabled: true,
      nothing: null,
      storage: { dir: '/home/ci/data', when },
      uplinks: [{ url: 'http://127.0.0.1:9', token: 's3cret' }, ''],
      [referenceKey]: 'keys are not substituted',
    });
    expect(result.value.storage.when).toBe(when);
    expect(result.missing).toEqual(['NOPE']);
    expect(config.storage.dir).toBe(`\${HOME}/data`);
  });

  it('keeps a __proto__ key from parsed config as an ordinary key', () => {
    // Prepare
    const parsed = JSON.parse(`{"__proto__": {"polluted": "\${TOKEN}"}}`) as Record<string, unknown>;

    // Act
    const { value } = substituteEnvDeep(parsed, env);

    // Assess
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: 's3cret' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('substitutes a bare string', () => {
    expect(substituteEnvDeep(`\${TOKEN}`, env)).toEqual({ value: 's3cret', missing: [] });
  });
});

describe('resolveEnv', () => {
  it('returns the substituted value when nothing is missing', () => {
    expect(resolveEnv({ auth: `Bearer \${TOKEN}` }, env)).toEqual({ auth: 'Bearer s3cret' });
  });

  it('throws one ConfigError that lists every missing variable', () => {
    // Prepare
    const config = { a: `\${DB_URL}`, b: [`\${S3_BUCKET}`, `\${DB_URL}`], c: `\${TOKEN}` };

    // Act
    let caught: unknown;
    try {
      resolveEnv(config, env);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toBeInstanceOf(BadRequestError);
    const error = caught as ConfigError;
    expect(error.message).toBe('missing environment variables: DB_URL, S3_BUCKET');
    expect(error.code).toBe('ECONFIG');
    expect(error.status).toBe(400);
    expect(error.name).toBe('ConfigError');
    expect(error.details).toEqual({ missing: ['DB_URL', 'S3_BUCKET'] });
  });

  it('names a single missing variable in the singular', () => {
    expect(() => resolveEnv(`\${ONLY}`, env)).toThrow('missing environment variable: ONLY');
  });
});

describe('ConfigError', () => {
  it('is an AppError a client sees with code ECONFIG', () => {
    // Act
    const error = new ConfigError('bad config');

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect(toClientBody(error)).toEqual({ error: 'bad config', code: 'ECONFIG' });
  });
});
