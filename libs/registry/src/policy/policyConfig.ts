import { parseDuration } from '@myorg/date';
import type { z } from '@myorg/validation';
import semver from 'semver';
import { durationVariable, listVariable } from '../config/variables.ts';
import type { ReleaseAgeConfig } from './releaseAge.ts';

const patternText = '[a-z0-9@/._~*-]+';
const overridePattern = new RegExp(`^${patternText}=\\S+$`, 'i');
const allowPattern = new RegExp(`^${patternText}(@.+)?$`, 'i');

/** `@types/*=1d`, `esbuild=0`: a name or pattern and the minimum age it gets. */
const overridesVariable = listVariable(
  overridePattern,
  'a name or pattern, "=" and an age, such as @types/*=1d',
).transform((items, ctx) =>
  items.map((item) => {
    const at = item.lastIndexOf('=');
    const age = item.slice(at + 1);
    let minAgeMs = 0;
    try {
      minAgeMs = parseDuration(age);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${item}: ${age} is not an age such as 12h or 3d` });
    }
    return { pattern: item.slice(0, at), minAgeMs };
  }),
);

/** `left-pad`, `@myorg/*`, `lodash@4.17.22`, `react@^19.1.1`: a name or pattern and the versions allowed. */
const allowVariable = listVariable(
  allowPattern,
  'a name or pattern, optionally @ and a version or range',
).transform((items, ctx) =>
  items.map((item) => {
    const at = item.indexOf('@', item.startsWith('@') ? 1 : 0);
    const range = at === -1 ? '*' : item.slice(at + 1);
    if (semver.validRange(range, { loose: true }) === null) {
      ctx.addIssue({ code: 'custom', message: `${item}: ${range} is not a version or range` });
    }
    return { pattern: at === -1 ? item : item.slice(0, at), range };
  }),
);

/** The environment variables of the supply-chain policy, for the registry's configuration schema. */
export const policyVariables = {
  REGISTRY_MIN_RELEASE_AGE: durationVariable('0', 0),
  REGISTRY_MIN_RELEASE_AGE_OVERRIDES: overridesVariable,
  REGISTRY_MIN_RELEASE_AGE_ALLOW: allowVariable,
};

type Parsed = { [K in keyof typeof policyVariables]: z.output<(typeof policyVariables)[K]> };

/** The minimum release age settings from the parsed variables. */
export function releaseAgeConfig({
  REGISTRY_MIN_RELEASE_AGE: minAgeMs,
  REGISTRY_MIN_RELEASE_AGE_OVERRIDES: overrides,
  REGISTRY_MIN_RELEASE_AGE_ALLOW: allow,
}: Parsed): ReleaseAgeConfig {
  return { minAgeMs, overrides, allow };
}
