import { MethodNotAllowedError, NotFoundError } from '@myorg/error';
import { decodePackageNameFromPath, ValidationError } from '@myorg/validation';
import { LRUCache } from 'lru-cache';
import { Messages } from '../messages.ts';
import type { Route, RouteParams } from './types.ts';

/** The route a request resolved to, with its decoded path parameters; shared by requests of the same path. */
export interface RouteMatch {
  readonly route: Route;
  readonly params: RouteParams;
}

export interface Router {
  /**
   * The route for `method` and `path` (no query string). Throws NotFoundError for an unknown
   * path, MethodNotAllowedError (with `Allow`) for a known path and another method, and a
   * ValidationError for a parameter that cannot be decoded (`..%2f`, a bad package name).
   */
  match(method: string, path: string): RouteMatch;
  /** As `match`, but undefined where `match` throws NotFoundError or MethodNotAllowedError. */
  find(method: string, path: string): RouteMatch | undefined;
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'package'; name: string }
  | { kind: 'packageVersion' }
  | { kind: 'param'; name: string };

interface CompiledRoute {
  route: Route;
  segments: Segment[];
}

/** Raw (still encoded) values of one structural match, decoded only once the route is chosen. */
type RawParams = { name: string; value: string; isPackage: boolean }[];

// Every request names a package, and clients ask for the same few over and over: decoding and
// checking a name costs microseconds, a lookup nanoseconds. Only valid names are remembered.
const MAX_REMEMBERED_NAMES = 10_000;
// Remembered matches are bounded by the characters of their paths, which clients choose.
const MAX_REMEMBERED_PATH_CHARS = 1_000_000;

/**
 * Builds the router for a route table. Routes whose path starts with a literal segment are tried
 * before those starting with a parameter, so `/-/ping` never reads as a package called `-`; a
 * GET route also answers HEAD.
 */
export function createRouter(routes: readonly Route[]): Router {
  const compiled = routes
    .map((route) => ({ route, segments: compile(route.path) }))
    .sort((a, b) => literalFirst(a) - literalFirst(b));
  // A route starting with a literal can only match a path starting with it: a request tries the
  // routes of its first segment and those starting with a parameter, in the same order as the table.
  const startingWithParam = compiled.filter((candidate) => literalFirst(candidate) === 1);
  const byFirstSegment = new Map<string, CompiledRoute[]>();
  for (const candidate of compiled) {
    const first = candidate.segments[0];
    if (first?.kind !== 'literal') continue;
    const routesOf = byFirstSegment.get(first.value) ?? [];
    routesOf.push(candidate);
    byFirstSegment.set(first.value, routesOf);
  }
  for (const routesOf of byFirstSegment.values()) routesOf.push(...startingWithParam);
  const decodedNames = new LRUCache<string, string>({ max: MAX_REMEMBERED_NAMES });

  function decodePackageName(segment: string): string {
    let name = decodedNames.get(segment);
    if (name === undefined) {
      // Reads accept names npm no longer lets anyone create; publish applies the strict rules.
      name = decodePackageNameFromPath(segment, { legacy: true });
      decodedNames.set(segment, name);
    }
    return name;
  }

  function decodeParams(raw: RawParams): RouteParams {
    const params: Record<string, string> = {};
    for (const { name, value, isPackage } of raw) {
      params[name] = isPackage ? decodePackageName(value) : decodeSegment(name, value);
    }
    return params;
  }

  /** The match, or the methods the path allows when no route of `method` matches it. */
  function resolve(method: string, path: string): RouteMatch | Set<string> | undefined {
    const parts = path.split('/');
    // A path always starts with "/", so the first element is the empty string before it.
    parts.shift();
    let allowed: Set<string> | undefined;
    for (const candidate of byFirstSegment.get(parts[0] ?? '') ?? startingWithParam) {
      const raw = matchSegments(candidate.segments, parts);
      if (raw === undefined) continue;
      const routeMethod = candidate.route.method;
      if (routeMethod === method || (method === 'HEAD' && routeMethod === 'GET')) {
        return { route: candidate.route, params: decodeParams(raw) };
      }
      allowed ??= new Set();
      allowed.add(routeMethod);
      if (routeMethod === 'GET') allowed.add('HEAD');
    }
    return allowed;
  }

  // Clients ask for the same packuments and tarballs over and over, and matching a path against the
  // routes of its first segment (with their name decoding) costs far more than a lookup. A match
  // depends on nothing but the method and path, so found ones are remembered, within a bound.
  const remembered = new LRUCache<string, RouteMatch>({
    maxSize: MAX_REMEMBERED_PATH_CHARS,
    sizeCalculation: (_match, key) => key.length,
  });
  function resolveRemembered(method: string, path: string): RouteMatch | Set<string> | undefined {
    const key = `${method} ${path}`;
    const known = remembered.get(key);
    if (known !== undefined) return known;
    const found = resolve(method, path);
    if (found !== undefined && !(found instanceof Set)) remembered.set(key, found);
    return found;
  }

  return {
    match(method, path) {
      const found = resolveRemembered(method, path);
      if (found instanceof Set) throw new MethodNotAllowedError([...found].sort());
      if (found !== undefined) return found;
      throw new NotFoundError(Messages.unknownRoute(method, path));
    },
    find(method, path) {
      const found = resolveRemembered(method, path);
      return found instanceof Set ? undefined : found;
    },
  };
}

function compile(path: string): Segment[] {
  return path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      if (part === ':pkg') return { kind: 'package', name: 'pkg' };
      if (part === ':pkg@:version') return { kind: 'packageVersion' };
      if (part.startsWith(':')) return { kind: 'param', name: part.slice(1) };
      return { kind: 'literal', value: part };
    });
}

function literalFirst(route: CompiledRoute): number {
  return route.segments[0]?.kind === 'literal' ? 0 : 1;
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): RawParams | undefined {
  const raw: RawParams = [];
  let index = 0;
  for (const segment of segments) {
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
      index += 1;
    } else if (segment.kind === 'param') {
      if (part === '') return undefined;
      raw.push({ name: segment.name, value: part, isPackage: false });
      index += 1;
    } else if (segment.kind === 'packageVersion') {
      // `name@1.0.0`, `@scope%2fname@1.0.0` or `@scope/name@1.0.0`: the version follows the last `@`.
      const next = parts[index + 1];
      const consumed = packageSegments(part, next);
      const spec = consumed === 2 ? `${part}/${next}` : part;
      const at = spec.lastIndexOf('@');
      if (consumed === 0 || at <= 0 || at === spec.length - 1) return undefined;
      raw.push({ name: 'pkg', value: spec.slice(0, at), isPackage: true });
      raw.push({ name: 'version', value: spec.slice(at + 1), isPackage: false });
      index += consumed;
    } else {
      const next = parts[index + 1];
      const consumed = packageSegments(part, next);
      if (consumed === 0) return undefined;
      raw.push({ name: segment.name, value: consumed === 1 ? part : `${part}/${next}`, isPackage: true });
      index += consumed;
    }
  }
  return index === parts.length ? raw : undefined;
}

/**
 * How many path segments the package name starting with `part` (followed by `next`) spans: two
 * for `@scope/name`, one for `name`, `@scope%2fname` and `%40scope%2fname`; zero where no package
 * can start (`-` is the registry's own namespace, and empty segments hold nothing).
 */
function packageSegments(part: string, next: string | undefined): number {
  if (part === '' || part === '-') return 0;
  const scoped = part.startsWith('@') || part.startsWith('%40');
  if (!scoped || /%2f/i.test(part)) return 1;
  return next === undefined || next === '' ? 0 : 2;
}

function decodeSegment(name: string, value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw new ValidationError(['not valid percent-encoding'], { subject: `invalid ${name} in path` });
  }
  if (decoded.includes('/') || decoded.includes('\\') || decoded === '..' || decoded === '.') {
    throw new ValidationError(['must not contain a path separator or be "." or ".."'], {
      subject: `invalid ${name} in path`,
    });
  }
  return decoded;
}
