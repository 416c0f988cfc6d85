import { readFile } from 'node:fs/promises';
import { formatDuration } from '@myorg/date';
import { registryAuthKey } from '@myorg/services/publish';
import type { EnvSource } from '@myorg/utilities';
import { readManagedBlock } from '../npmrc/managedBlock.ts';
import type { CheckResult } from './CheckResult.ts';

export interface NpmrcExpectation {
  scope: string;
  /** Undefined when the endpoint could not be fetched: only the file's own consistency is checked. */
  registryUrl: string | undefined;
  env: EnvSource;
  now: Date;
}

const HOUR_MS = 3_600_000;

/** One consumer `.npmrc`: present, pointing at the repository, with a matching token line that is still valid. */
export async function checkNpmrcFile(file: string, expected: NpmrcExpectation): Promise<CheckResult> {
  const name = `.npmrc ${file}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { name, status: 'fail', detail: 'missing', trouble: 'npmrcMismatch' };
  }
  if (/^\s*always-auth\s*=/m.test(text)) {
    return { name, status: 'warn', detail: 'has an always-auth line', trouble: 'alwaysAuth' };
  }
  const block = readManagedBlock(text);
  const registryLine = block?.lines.find((line) => line.startsWith(`${expected.scope}:registry=`));
  const registryUrl = registryLine?.slice(`${expected.scope}:registry=`.length);
  if (block === undefined || registryUrl === undefined) {
    return {
      name,
      status: 'fail',
      detail: `no ${expected.scope}:registry line written by myorg-admin`,
      trouble: 'npmrcMismatch',
    };
  }
  if (expected.registryUrl !== undefined && registryUrl !== expected.registryUrl) {
    return {
      name,
      status: 'fail',
      detail: `points at ${registryUrl}, not ${expected.registryUrl}`,
      trouble: 'npmrcMismatch',
    };
  }
  const tokenPrefix = `${registryAuthKey(registryUrl)}:_authToken=`;
  const tokenLine = block.lines.find((line) => line.startsWith(tokenPrefix));
  if (tokenLine === undefined) {
    return {
      name,
      status: 'fail',
      detail: `no ${tokenPrefix} line for that registry`,
      trouble: 'npmrcMismatch',
    };
  }
  const reference = /^\$\{([A-Za-z_]\w*)\}$/.exec(tokenLine.slice(tokenPrefix.length));
  const variable = reference?.[1];
  if (variable !== undefined) {
    if (!expected.env[variable]) {
      return {
        name,
        status: 'warn',
        detail: `reads the token from \${${variable}}, which is not set here: eval "$(npx myorg-admin token --export)"`,
      };
    }
    return { name, status: 'ok', detail: `${registryUrl}, token from \${${variable}}` };
  }
  if (block.expiresAt === undefined)
    return { name, status: 'warn', detail: 'holds a token of unknown expiry', trouble: 'tokenExpiring' };
  const left = block.expiresAt.getTime() - expected.now.getTime();
  if (left <= 0)
    return {
      name,
      status: 'fail',
      detail: `token expired at ${block.expiresAt.toISOString()}`,
      trouble: 'tokenExpiring',
    };
  const detail = `token valid for ${formatDuration(Math.floor(left / 60_000) * 60_000)}`;
  return left < HOUR_MS
    ? { name, status: 'warn', detail, trouble: 'tokenExpiring' }
    : { name, status: 'ok', detail };
}
