/**
 * The deepest nesting of objects and arrays a JSON request body may have. Manifests, packuments and
 * audit bodies nest a handful of levels; the bound keeps everything that walks client data
 * recursively (deep equality, `JSON.stringify`, tree walks) far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 64;

/** Why a JSON document was refused for its depth: `<what> nests deeper than 64 levels`. */
export function jsonTooDeepMessage(what: string, maxDepth = MAX_JSON_DEPTH): string {
  return `${what} nests deeper than ${maxDepth} levels`;
}

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether JSON `text` nests objects and arrays deeper than `maxDepth`, in one pass over its
 * characters (no recursion, no allocation), so it can run before `JSON.parse` on any input.
 * Brackets inside strings do not count. Text that is not JSON may get either answer: the parser
 * refuses it anyway.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return false;
}
