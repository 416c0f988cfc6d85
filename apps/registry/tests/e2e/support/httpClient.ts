import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { RegistryServer } from './registryServer.ts';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpOptions {
  method?: string;
  token?: string;
  /** Sent as JSON unless it is already a string or bytes (for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sends the body without Content-Length, in chunks, as a streaming client would. */
  chunked?: boolean;
}

/**
 * One request at the HTTP level, below any npm client behaviour. The path goes out exactly as
 * given (no URL normalisation), so `..` and `%2e%2e` reach the server as an attacker sends them.
 */
export async function request(
  server: RegistryServer,
  path: string,
  options: HttpOptions = {},
): Promise<HttpResult> {
  const { method = 'GET', token, body, headers = {}, chunked = false } = options;
  const payload =
    body === undefined
      ? undefined
      : typeof body === 'string' || body instanceof Uint8Array
        ? Buffer.from(body)
        : Buffer.from(JSON.stringify(body));
  return await new Promise((done, fail) => {
    let responded = false;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        // A connection of its own: a kept-alive one can be closed by the server just as it is reused.
        agent: false,
        method,
        path,
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(payload && !chunked ? { 'content-length': String(payload.length) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        // 'close' also comes when the server answers early (413) and drops the rest of the upload.
        res.on('close', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes,
            text,
            json: parseJson(text),
          });
        });
      },
    );
    req.on('error', (error) => {
      // A server that answers before reading the whole body may reset the upload: the answer counts.
      if (!responded) fail(error);
    });
    if (payload && chunked) {
      // Several writes so the server sees a stream, not one buffer.
      const step = 16 * 1024;
      for (let offset = 0; offset < payload.length; offset += step)
        req.write(payload.subarray(offset, offset + step));
      req.end();
    } else {
      req.end(payload);
    }
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Registers a user the way npm adduser does and returns the token the registry issued. */
export async function createUser(
  server: RegistryServer,
  name: string,
  password = `${name}-password-1`,
): Promise<string> {
  const result = await request(server, `/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: 'PUT',
    body: {
      _id: `org.couchdb.user:${name}`,
      name,
      password,
      email: `${name}@example.com`,
      type: 'user',
      roles: [],
    },
  });
  const token = (result.json as { token?: unknown } | undefined)?.token;
  if (result.status !== 201 || typeof token !== 'string') {
    throw new Error(`adduser ${name} failed: ${result.status} ${result.text}`);
  }
  return token;
}

/** A package's URL path as npm sends it: a scoped name's slash encoded. */
export function packagePath(name: string): string {
  return `/${name.replace('/', '%2f')}`;
}
