import { ConfigError } from './ConfigError.ts';
import { type EnvSource, lookupEnv } from './envSource.ts';

/**
 * Reads `name`, treating an empty value as unset (as `FOO=` in an env file means "not configured"),
 * and falls back or throws a ConfigError when it is unset.
 */
function readEnv<T>(name: string, fallback: T | undefined, env: EnvSource, convert: (raw: string) => T): T {
  const raw = lookupEnv(env, name);
  if (raw !== undefined && raw !== '') return convert(raw);
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`environment variable ${name} is required but not set`, {
    details: { missing: [name] },
  });
}

/** A string variable; without a fallback it is required. */
export function envString(name: string, fallback?: string, env: EnvSource = process.env): string {
  return readEnv(name, fallback, env, (raw) => raw);
}

/** A whole-number variable (`8080`, `-1`; surrounding spaces ignored); without a fallback it is required. */
export function envInteger(name: string, fallback?: number, env: EnvSource = process.env): number {
  return readEnv(name, fallback, env, (raw) => {
    const text = raw.trim();
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value)) {
      throw new ConfigError(`environment variable ${name} must be an integer, got "${raw}"`);
    }
    return value;
  });
}

// A Map, so inherited names such as `constructor` are not mistaken for flags.
const booleans = new Map([
  ...['1', 'true', 'yes', 'on'].map((word) => [word, true] as const),
  ...['0', 'false', 'no', 'off'].map((word) => [word, false] as const),
]);

/** A flag: `1/0`, `true/false`, `yes/no` or `on/off`, any case; without a fallback it is required. */
export function envBoolean(name: string, fallback?: boolean, env: EnvSource = process.env): boolean {
  return readEnv(name, fallback, env, (raw) => {
    const value = booleans.get(raw.trim().toLowerCase());
    if (value === undefined) {
      throw new ConfigError(
        `environment variable ${name} must be one of 1/0, true/false, yes/no, on/off, got "${raw}"`,
      );
    }
    return value;
  });
}
