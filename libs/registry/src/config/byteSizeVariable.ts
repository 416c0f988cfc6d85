import { z } from '@myorg/validation';
import { parseByteSize } from './parseByteSize.ts';

/** A size variable (`1048576`, `100mb`, `1.5gb`) as a number of bytes, `defaultValue` when unset. */
export function byteSizeVariable(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a size in bytes, or with a unit such as 100mb' });
        return z.NEVER;
      }
      return bytes;
    });
}
