import { byteSize } from './variables.ts';

/**
 * A byte count from `1048576`, `512kb`, `100mb` or `1.5 GB` (binary units, case-insensitive), or
 * undefined when the text is not such a size.
 */
export function parseByteSize(text: string): number | undefined {
  return byteSize.safeParse(text).data;
}
