import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, type EnvSource, parseJson, resolveEnv } from '@myorg/utilities';
import { parseConfig } from '@myorg/validation';
import { type AdminConfig, adminConfigSchema } from './adminConfig.ts';

export const DEFAULT_CONFIG_FILE = 'codeartifact-config.json';

/**
 * Reads `codeartifact-config.json`: `${VAR}` and `${VAR:-default}` are substituted first (one
 * ConfigError lists every unset variable), then the schema checks every field at once.
 */
export async function loadConfig(file: string, env: EnvSource): Promise<AdminConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, {
      details: { fix: `create it (see the admin README) or pass --config <file>` },
    });
  }
  const raw = parseJson(text, path);
  const substituted = resolveEnv(raw, env);
  const config = parseConfig(adminConfigSchema, substituted, path);
  return { ...config, baseDir: dirname(path) };
}
