import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Packument } from '../../src/index.ts';
import { listen, readBody, sendJson } from './listen.ts';

/**
 * A small npm registry speaking the protocol the client uses, mounted under `/npm/` to prove
 * that path prefixes survive: packuments (full and abbreviated, with ETag / If-None-Match),
 * publish by PUT with base64 attachments, tarball downloads, dist-tags, whoami and ping; with
 * `uploads`, our registry's direct uploads too (a "bucket" taking PUTs with a signed header, as a
 * presigned S3 URL does). Every registry route demands `Authorization: Bearer <token>`.
 */
export const PREFIX = '/npm/';
export const ABBREVIATED = 'application/vnd.npm.install-v1+json';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CannedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RegistryStandIn {
  /** Base URL of the registry, ending in the prefix (`/npm/` by default). */
  url: string;
  origin: string;
  token: string;
  requests: RecordedRequest[];
  packuments: Map<string, Packument>;
  /** Answers given, in order, before normal service resumes (to stage 503s and 429s). */
  canned: CannedAnswer[];
  /** Answers given, in order, to authorised publishes instead of storing them (to stage refusals). */
  failPublish: CannedAnswer[];
  /** Records `name@version` as published, without a tarball. */
  seed(name: string, version: string): void;
  /** The versions of `name` the registry holds. */
  versions(name: string): string[];
  close(): Promise<void>;
}

/** Where the stand-in's "bucket" takes direct uploads, as a presigned S3 URL would. */
const BUCKET = '/-/bucket/';
/** The header a direct upload must carry, as a signed S3 PUT must carry its signed headers. */
const SIGNED_HEADER = 'x-stand-in-signed';

export async function startRegistryStandIn(
  options: { token?: string; prefix?: string; uploads?: boolean } = {},
): Promise<RegistryStandIn> {
  const { token = 'registry-token-123', prefix = PREFIX } = options;
  const uploaded = new Map<string, Buffer>();
  const packuments = new Map<string, Packument>();
  const tarballs = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];
  const canned: CannedAnswer[] = [];
  const failPublish: CannedAnswer[] = [];

  const server = await listen(async (request, response) => {
    const body = await readBody(request);
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    const answer = canned.shift();
    if (answer) return sendJson(response, answer.status, answer.body ?? {}, answer.headers);
    if (options.uploads && request.method === 'PUT' && request.url?.startsWith(BUCKET)) {
      if (request.headers[SIGNED_HEADER] !== 'yes') return sendJson(response, 403, { error: 'unsigned' });
      uploaded.set(request.url.slice(BUCKET.length), body);
      return sendJson(response, 200, {});
    }
    if (request.headers.authorization !== `Bearer ${token}`) {
      return sendJson(response, 401, { error: 'authentication required' });
    }
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(prefix)) return sendJson(response, 404, { error: 'not found' });
    return route(request, response, path.slice(prefix.length), body);
  });

  function route(request: IncomingMessage, response: ServerResponse, path: string, body: Buffer) {
    const method = request.method;
    if (method === 'GET' && path === '-/ping') return sendJson(response, 200, {});
    if (method === 'GET' && path === '-/whoami') return sendJson(response, 200, { username: 'release-bot' });
    if (options.uploads && method === 'POST' && path === '-/myorg/v1/uploads') {
      const id = `upload-${requests.length}`;
      return sendJson(response, 201, {
        id,
        url: `${server.origin}${BUCKET}${id}`,
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', [SIGNED_HEADER]: 'yes' },
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
        maxBytes: 1024 * 1024,
      });
    }
    const distTags = /^-\/package\/([^/]+)\/dist-tags(?:\/([^/]+))?$/.exec(path);
    if (distTags) return distTagRoute(method, response, decodeURIComponent(distTags[1]!), distTags[2], body);
    const tarball = /^(.+)\/-\/([^/]+\.tgz)$/.exec(path);
    if (method === 'GET' && tarball) {
      const bytes = tarballs.get(path);
      if (!bytes) return sendJson(response, 404, { error: 'not found' });
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      return void response.end(bytes);
    }
    // Package documents live at one segment: `pkg` or `@scope%2fpkg`.
    if (path.includes('/')) return sendJson(response, 404, { error: 'not found' });
    const name = decodeURIComponent(path);
    if (method === 'GET') return packumentRoute(request, response, name);
    if (method === 'PUT') return publishRoute(response, name, body);
    return sendJson(response, 405, { error: 'method not allowed' });
  }

  function packumentRoute(request: IncomingMessage, response: ServerResponse, name: string) {
    const packument = packuments.get(name);
    if (!packument) return sendJson(response, 404, { error: 'not found' });
    const abbreviated = (request.headers.accept ?? '').includes(ABBREVIATED);
    const document = abbreviated ? abbreviate(packument) : packument;
    const text = JSON.stringify(document);
    const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag });
      return void response.end();
    }
    response.writeHead(200, { 'content-type': abbreviated ? ABBREVIATED : 'application/json', etag });
    response.end(text);
  }

  function publishRoute(response: ServerResponse, name: string, body: Buffer) {
    const refusal = failPublish.shift();
    if (refusal) return sendJson(response, refusal.status, refusal.body ?? {}, refusal.headers);
    const document = JSON.parse(body.toString('utf8')) as Packument & {
      _attachments: Record<string, { data?: string; upload?: string; length: number }>;
    };
    const existing = packuments.get(name);
    const [version, manifest] = Object.entries(document.versions)[0]!;
    if (existing?.versions[version]) {
      return sendJson(response, 409, {
        error: `You cannot publish over the previously published versions: ${version}.`,
      });
    }
    for (const [file, attachment] of Object.entries(document._attachments)) {
      const bytes =
        attachment.upload === undefined
          ? Buffer.from(attachment.data ?? '', 'base64')
          : uploaded.get(attachment.upload);
      if (bytes === undefined) return sendJson(response, 404, { error: 'no such upload' });
      tarballs.set(`${name}/-/${file}`, bytes);
    }
    const now = new Date().toISOString();
    packuments.set(name, {
      _id: name,
      _rev: `${Number.parseInt(existing?._rev ?? '0', 10) + 1}-standin`,
      name,
      'dist-tags': { ...existing?.['dist-tags'], ...document['dist-tags'] },
      versions: { ...existing?.versions, [version]: manifest },
      time: { created: now, ...existing?.time, modified: now, [version]: now },
    });
    sendJson(response, 201, { ok: true });
  }

  function distTagRoute(
    method: string | undefined,
    response: ServerResponse,
    name: string,
    tag: string | undefined,
    body: Buffer,
  ) {
    const packument = packuments.get(name);
    if (!packument) return sendJson(response, 404, { error: 'not found' });
    const tags = packument['dist-tags'];
    if (method === 'GET' && tag === undefined) return sendJson(response, 200, tags);
    if (method === 'PUT' && tag !== undefined) {
      tags[decodeURIComponent(tag)] = JSON.parse(body.toString('utf8')) as string;
      return sendJson(response, 201, { ok: true });
    }
    if (method === 'DELETE' && tag !== undefined) {
      delete tags[decodeURIComponent(tag)];
      return sendJson(response, 200, { ok: true });
    }
    sendJson(response, 405, { error: 'method not allowed' });
  }

  return {
    url: `${server.origin}${prefix}`,
    origin: server.origin,
    token,
    requests,
    packuments,
    canned,
    failPublish,
    seed(name, version) {
      const existing = packuments.get(name);
      const now = new Date().toISOString();
      packuments.set(name, {
        _id: name,
        _rev: `${Object.keys(existing?.versions ?? {}).length + 1}-seed`,
        name,
        'dist-tags': { latest: version, ...existing?.['dist-tags'] },
        versions: { ...existing?.versions, [version]: { name, version } as Packument['versions'][string] },
        time: { created: now, modified: now, ...existing?.time },
      });
    },
    versions: (name) => Object.keys(packuments.get(name)?.versions ?? {}),
    close: server.close,
  };
}

function abbreviate(packument: Packument) {
  return {
    name: packument.name,
    modified: packument.time?.modified ?? '',
    'dist-tags': packument['dist-tags'],
    versions: Object.fromEntries(
      Object.entries(packument.versions).map(([version, manifest]) => [
        version,
        { name: manifest.name, version, dependencies: manifest.dependencies, dist: manifest.dist },
      ]),
    ),
  };
}
