import { parseDuration } from '@myorg/date';
import { z } from '@myorg/validation';

/**
 * Zod schemas for the kinds of text the registry's environment variables hold: each turns the
 * text into the value the configuration needs, or reports what the text must be.
 */

const byteUnits: Readonly<Record<string, number>> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const byteSizeMessage = 'must be a size in bytes, or with a unit such as 100mb';

/** A byte count from `1048576`, `512kb`, `100mb` or `1.5 GB` (binary units, case-insensitive). */
const byteCount = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^\d+(\.\d+)?\s*(b|[kmg]b?)?$/, byteSizeMessage)
  .transform((text) => {
    const unit = /[bkmg]/.exec(text)?.[0] ?? 'b';
    return Math.floor(Number.parseFloat(text) * (byteUnits[unit] ?? 1));
  });

/** A byte count above zero. */
export const byteSize = byteCount.pipe(z.number().int(byteSizeMessage).positive(byteSizeMessage));

/** A size variable, `defaultValue` when unset; `allowZero` for a size whose 0 turns something off. */
export function byteSizeVariable(defaultValue: string, { allowZero = false } = {}) {
  const size = allowZero
    ? byteCount.pipe(z.number().int(byteSizeMessage).nonnegative(byteSizeMessage))
    : byteSize;
  return z.string().default(defaultValue).pipe(size);
}

/**
 * An http(s) URL with nothing after its path: a registry's address is a base that paths are
 * appended to, so a query or fragment would be silently lost.
 */
export function httpUrl(message: string) {
  return z
    .url({ protocol: /^https?$/, error: message })
    .transform((text) => new URL(text))
    .refine((url) => url.search === '' && url.hash === '', message);
}

/** A duration such as `30s`, `2m` or `1h30m`, in ms and at least `minimumMs`; `defaultValue` when unset. */
export function durationVariable(defaultValue: string, minimumMs: number) {
  const message = 'must be a duration such as 30s, 2m or 1h30m';
  return z
    .string()
    .default(defaultValue)
    .transform((text, ctx) => {
      try {
        return parseDuration(text);
      } catch {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
    })
    .pipe(z.number().min(minimumMs, message));
}

/** A comma-separated list, empty items dropped; each item must match `pattern`, else it is named as not `what`. */
export function listVariable(pattern: RegExp, what: string) {
  return z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .superRefine((items, ctx) => {
      const bad = items.filter((item) => !pattern.test(item));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `${bad.join(', ')}: not ${what}` });
    });
}
