import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { RegistryServer } from './registryServer.ts';

const run = promisify(execFile);
const MB = 1024 * 1024;

export interface TarballFile {
  path: string;
  size: number;
  shasum: string;
  integrity: string;
}

/**
 * A .tgz of a package holding `payloadBytes` of random (incompressible) bytes, packed by the system
 * tar and gzip into `dir` and hashed from disk: it is never held in memory whole.
 */
export async function writeBigTarball(
  dir: string,
  manifest: { name: string; version: string },
  payloadBytes: number,
): Promise<TarballFile> {
  const packageDir = join(dir, 'package');
  await mkdir(packageDir, { recursive: true });
  await writeFile(join(packageDir, 'package.json'), JSON.stringify(manifest));
  const payload = await open(join(packageDir, 'payload.bin'), 'w');
  try {
    for (let written = 0; written < payloadBytes; written += MB) {
      await payload.write(randomBytes(Math.min(MB, payloadBytes - written)));
    }
  } finally {
    await payload.close();
  }
  const path = join(dir, 'package.tgz');
  // Random bytes do not compress: the fastest gzip level keeps the test's own CPU use down.
  await run('tar', ['-I', 'gzip -1', '-cf', path, '-C', dir, 'package']);
  await rm(packageDir, { recursive: true, force: true });
  const sha1 = createHash('sha1');
  const sha512 = createHash('sha512');
  for await (const chunk of createReadStream(path)) {
    sha1.update(chunk as Buffer);
    sha512.update(chunk as Buffer);
  }
  return {
    path,
    size: (await stat(path)).size,
    shasum: sha1.digest('hex'),
    integrity: `sha512-${sha512.digest('base64')}`,
  };
}

/** A publish body's JSON around the attachment's data: what comes before it, and after. */
function publishEnvelope(name: string, version: string, tarball: Omit<TarballFile, 'path'>) {
  const fileName = `${name}-${version}.tgz`;
  const marker = '"data":""';
  const text = JSON.stringify({
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        name,
        version,
        _id: `${name}@${version}`,
        dist: {
          shasum: tarball.shasum,
          integrity: tarball.integrity,
          tarball: `http://localhost/${fileName}`,
        },
      },
    },
    access: null,
    _attachments: {
      [fileName]: { content_type: 'application/octet-stream', length: tarball.size, data: '' },
    },
  });
  const at = text.indexOf(marker) + marker.length - 1;
  return { before: text.slice(0, at), after: text.slice(at) };
}

/** The file in base64, a few hundred KB at a time (the carry keeps each piece a whole number of groups). */
async function* base64Of(path: string): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 384 * 1024 })) {
    const bytes = Buffer.concat([carry, chunk as Buffer]);
    const whole = bytes.byteLength - (bytes.byteLength % 3);
    yield Buffer.from(bytes.subarray(0, whole).toString('base64'));
    carry = bytes.subarray(whole);
  }
  if (carry.byteLength > 0) yield Buffer.from(carry.toString('base64'));
}

/** `PUT /:pkg` with the body npm would send for `tarball`, streamed from disk with its Content-Length. */
export async function publishFromFile(
  server: RegistryServer,
  token: string,
  name: string,
  version: string,
  tarball: TarballFile,
): Promise<{ status: number; text: string }> {
  const { before, after } = publishEnvelope(name, version, tarball);
  const length = Buffer.byteLength(before) + Math.ceil(tarball.size / 3) * 4 + Buffer.byteLength(after);
  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.from(before);
    yield* base64Of(tarball.path);
    yield Buffer.from(after);
  }
  return await put(server, token, `/${name.replace('/', '%2f')}`, body(), {
    'content-length': String(length),
  });
}

/**
 * `PUT /:pkg` of a publish whose base64 data goes on for `dataBytes`, sent chunked (no declared
 * length), so only the server's streaming check can stop it.
 */
export async function publishChunked(
  server: RegistryServer,
  token: string,
  name: string,
  dataBytes: number,
): Promise<{ status: number; text: string }> {
  const { before, after } = publishEnvelope(name, '1.0.0', { size: 0, shasum: '', integrity: '' });
  const piece = Buffer.from(randomBytes(768 * 1024).toString('base64'));
  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.from(before);
    for (let sent = 0; sent < dataBytes; sent += piece.byteLength) yield piece;
    yield Buffer.from(after);
  }
  return await put(server, token, `/${name}`, body(), { 'transfer-encoding': 'chunked' });
}

/** Sends `body`; resolves with the answer, which may come (a 413) before the body is all sent. */
async function put(
  server: RegistryServer,
  token: string,
  path: string,
  body: AsyncIterable<Buffer>,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      method: 'PUT',
      path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.once('error', reject);
    });
    // A server that answers early may cut the rest of the upload off: the answer is what counts,
    // and it may still be on its way when the upload fails.
    pipeline(Readable.from(body), req).catch((error: unknown) => {
      setTimeout(() => reject(error), 2000).unref();
    });
  });
}

/** The peak resident memory of a process so far (Linux `VmHWM`), in bytes. */
export async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
