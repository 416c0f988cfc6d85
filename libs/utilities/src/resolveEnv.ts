import { ConfigError } from './ConfigError.ts';
import type { EnvSource } from './envSource.ts';
import { substituteEnvDeep } from './substituteEnv.ts';

/**
 * `substituteEnvDeep` for config that must be complete: throws one ConfigError listing every unset
 * variable (in `message` and `details.missing`), so an operator fixes them all in one go.
 */
export function resolveEnv<T>(value: T, env: EnvSource = process.env): T {
  const result = substituteEnvDeep(value, env);
  if (result.missing.length > 0) {
    const noun = result.missing.length === 1 ? 'variable' : 'variables';
    throw new ConfigError(`missing environment ${noun}: ${result.missing.join(', ')}`, {
      details: { missing: result.missing },
    });
  }
  return result.value;
}
