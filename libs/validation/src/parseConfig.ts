import type { z } from 'zod';
import { ValidationError } from './ValidationError.ts';

/**
 * Parses `input` with a zod schema and returns the typed result. On failure it throws one
 * ValidationError that lists every issue as `<path>: <message>` (`server.port: Too big: ...`),
 * so a bad deployment is fixed in one go rather than one variable at a time.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  source = 'configuration',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  throw new ValidationError(issues, { subject: `invalid ${source}` });
}

/** `uplinks[0].url` style; the root of the input shows as `(root)`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}
