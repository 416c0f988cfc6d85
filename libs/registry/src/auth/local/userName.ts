/** Longest user name, the same bound npm puts on package names. */
export const MAX_USER_NAME_LENGTH = 214;

// Lower case, URL-safe, starting with a letter or digit: usable as-is in a URL path and a storage key.
const USER_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * What is wrong with `name` as a new user's name, or undefined when it is fine. Names are lower case,
 * so two users can never differ only by case.
 */
export function userNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_USER_NAME_LENGTH) {
    return `must be 1 to ${MAX_USER_NAME_LENGTH} characters long`;
  }
  if (name !== name.toLowerCase()) return 'must be lower case';
  if (!USER_NAME_PATTERN.test(name)) {
    return 'may only contain a-z, 0-9, ".", "_" and "-", and must start with a letter or digit';
  }
  return undefined;
}

/** The key a user is stored under: the lower-cased name, so lookups ignore case. */
export function userKey(name: string): string {
  return name.toLowerCase();
}
