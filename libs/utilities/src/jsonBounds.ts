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

/** Why a JSON document was refused for its size: `<what> has more than 50000 object members`. */
export function jsonTooManyMembersMessage(what: string, maxMembers: number): string {
  return `${what} has more than ${maxMembers} object members`;
}

export interface JsonBounds {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /**
   * Most object members (`"key": value`) in the whole document. Parsing costs the main thread about
   * a microsecond per member, so this bounds the parse of a body small in bytes but made of tiny members.
   */
  maxMembers?: number;
}

/** A bound a text exceeds: which one, and its value. */
export interface ExceededJsonBound {
  bound: keyof JsonBounds;
  limit: number;
}

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const COLON = 0x3a; // :
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The first of `bounds` JSON `text` exceeds, or undefined; found in one pass over its characters
 * (no recursion, no allocation), so it can run before `JSON.parse` on any input. Brackets and
 * colons inside strings do not count. Text that is not JSON may get any answer: the parser refuses
 * it anyway.
 */
export function exceededJsonBound(text: string, bounds: JsonBounds): ExceededJsonBound | undefined {
  const { maxDepth, maxMembers = Number.POSITIVE_INFINITY } = bounds;
  let depth = 0;
  let members = 0;
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
      if (depth > maxDepth) return { bound: 'maxDepth', limit: maxDepth };
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth -= 1;
    } else if (code === COLON) {
      members += 1;
      if (members > maxMembers) return { bound: 'maxMembers', limit: maxMembers };
    }
  }
  return undefined;
}
