import { ConfigError } from './ConfigError.ts';
import { type EnvSource, lookupEnv } from './envSource.ts';
import { isPlainObject } from './isPlainObject.ts';

// An escaped `\${`, a complete `${...}`, or a `${` that is never closed.
const token = /\\\$\{|\$\{([^}]*)\}|\$\{/g;
// NAME, then optionally `:-default` (unset or empty) or `-default` (unset only), as in the shell.
const reference = /^([A-Za-z_]\w*)(?:(:?-)([\s\S]*))?$/;
// biome-ignore lint/suspicious/noTemplateCurlyInString: it shows the config syntax, it is not a template
const forms = 'use ${NAME}, ${NAME:-default} or ${NAME-default}';

function substitute(template: string, env: EnvSource, missing: Set<string>): string {
  return template.replace(token, (match: string, inner: string | undefined, offset: number) => {
    if (match === '\\${') return '${';
    if (inner === undefined) {
      const rest = template.slice(offset, offset + 40);
      throw new ConfigError(`unterminated environment variable reference "${rest}": ${forms}`);
    }
    const parts = reference.exec(inner);
    if (!parts) throw new ConfigError(`invalid environment variable reference "${match}": ${forms}`);
    const [, name, operator, fallback] = parts as unknown as [string, string, string | undefined, string];
    const value = lookupEnv(env, name);
    if (value !== undefined && !(operator === ':-' && value === '')) return value;
    if (operator !== undefined) return fallback;
    missing.add(name);
    return '';
  });
}

/**
 * Replaces `${NAME}` with the variable's value, `${NAME:-default}` with the default when the
 * variable is unset or empty, and `${NAME-default}` with it only when unset. `\${` stands for a
 * literal `${`; every other character, `$` and `\` included, is kept as written. Unset variables
 * without a default become empty and are listed in `missing` (each once, in order of first use), so
 * the caller decides whether that is an error. A malformed reference (`${NPM TOKEN}`, an unclosed
 * `${`) throws a ConfigError, since it can only be a typo.
 */
export function substituteEnv(
  template: string,
  env: EnvSource = process.env,
): { value: string; missing: string[] } {
  const missing = new Set<string>();
  const value = substitute(template, env, missing);
  return { value, missing: [...missing] };
}

/**
 * `substituteEnv` applied to every string inside plain objects and arrays (keys are left alone), for
 * a parsed config file. Returns a new structure; other values, class instances included, are kept
 * as they are. `missing` lists each unset variable once across the whole value.
 */
export function substituteEnvDeep<T>(
  value: T,
  env: EnvSource = process.env,
): { value: T; missing: string[] } {
  const missing = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return substitute(node, env, missing);
    if (Array.isArray(node)) return node.map(walk);
    // fromEntries defines properties, so a `__proto__` key stays an ordinary key.
    if (isPlainObject(node))
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item)]));
    return node;
  };
  return { value: walk(value) as T, missing: [...missing] };
}
