/** What a secret is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values never reach a log, matched without regard to case. A leading or trailing `*`
 * matches any ending or beginning: `*token` covers `token`, `_authToken` and `npmToken`, and
 * `*password` covers `password` and npmrc's `_password`. `_auth` is npmrc's base64 `user:pass`.
 */
export const defaultRedactKeys: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  '*password',
  '*token',
  '_auth',
  '*secret',
  'secretAccessKey',
  'accessKey*',
  'npm-otp',
];

/** Decides whether a key holds a secret. */
export type SecretKeyTest = (key: string) => boolean;

/** Compiles key patterns (see `defaultRedactKeys`) into one case-insensitive test. */
export function secretKeyTest(patterns: readonly string[]): SecretKeyTest {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const infixes: string[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    const anyStart = lower.startsWith('*');
    const anyEnd = lower.length > 1 && lower.endsWith('*');
    const core = lower.slice(anyStart ? 1 : 0, anyEnd ? -1 : undefined);
    if (anyStart && anyEnd) infixes.push(core);
    else if (anyStart) suffixes.push(core);
    else if (anyEnd) prefixes.push(core);
    else exact.add(core);
  }
  const test = (key: string) => {
    const lower = key.toLowerCase();
    return (
      exact.has(lower) ||
      prefixes.some((prefix) => lower.startsWith(prefix)) ||
      suffixes.some((suffix) => lower.endsWith(suffix)) ||
      infixes.some((infix) => lower.includes(infix))
    );
  };
  // Records use the same few keys over and over: answers are remembered, within a bound.
  const answers = new Map<string, boolean>();
  return (key) => {
    let secret = answers.get(key);
    if (secret === undefined) {
      secret = test(key);
      if (answers.size >= MAX_REMEMBERED_KEYS) answers.clear();
      answers.set(key, secret);
    }
    return secret;
  };
}

const MAX_REMEMBERED_KEYS = 1000;

/** Credentials that turn up inside free text: error messages, echoed headers, npmrc files, URLs. */
const secretsInText: ReadonlyArray<[RegExp, string]> = [
  // `Authorization: Bearer <token>` and `Basic <base64>`: the scheme stays, the credential goes.
  [/\b(bearer|basic)(\s+)[\w.~+/-]+=*/gi, `$1$2${REDACTED}`],
  // npmrc lines: `//host/:_authToken=...`, `_auth = ...`, `//host/:_password=...`.
  [/(_authToken|_auth|_password)(\s*=\s*)\S+/gi, `$1$2${REDACTED}`],
  // The password of `scheme://user:password@host`.
  [/\b([a-z][a-z\d+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#@]+@/gi, `$1${REDACTED}@`],
  // npm's token paths: `DELETE /-/user/token/<token>` (logout) and `/-/npm/v1/tokens/token/<token>`
  // (token revoke, which sends the whole token when the user typed it).
  [/(\/-\/(?:user|npm\/v1\/tokens)\/token\/)[^/\s?#"']+/gi, `$1${REDACTED}`],
];

/**
 * Each pattern above needs one of these: a scheme name, an `=`, an `@` or a token path. Most text
 * (paths, ids, messages) has none, and one test is far cheaper than four replacements.
 */
const mayHoldSecret = /[=@]|bearer|basic|\/token\//i;

/** `text` with every credential it visibly carries replaced by `[REDACTED]`. */
export function redactText(text: string): string {
  if (!mayHoldSecret.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of secretsInText) out = out.replace(pattern, replacement);
  return out;
}
