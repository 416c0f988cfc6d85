// One large publish (a single PUT, as `npm publish` sends it) while another client reads a small
// packument in a loop: how long reads wait meanwhile, and how much memory the server takes for it.
import { execFile } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { names } from './fixtures.mjs';
import { percentile } from './measure.mjs';
import { npmGet, npmHeaders } from './npmProtocol.mjs';
import { exitOf, memoryMiB } from './processes.mjs';

const MiB = 1024 * 1024;
const run = promisify(execFile);
const round = (value, digits = 1) => Number(value.toFixed(digits));

/**
 * A .tgz holding `payloadBytes` of incompressible bytes (an AES-CTR keystream with a fixed key: the
 * same on every run), packed by the system tar and `gzip -1` and hashed from disk, never held whole.
 */
export async function writeBigTarball(dir, manifest, payloadBytes) {
  const packageDir = path.join(dir, 'package');
  await mkdir(packageDir, { recursive: true });
  await writeFile(path.join(packageDir, 'package.json'), JSON.stringify(manifest));
  const keystream = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16));
  const zeros = Buffer.alloc(MiB);
  const payload = await open(path.join(packageDir, 'payload.bin'), 'w');
  try {
    for (let written = 0; written < payloadBytes; written += MiB) {
      await payload.write(keystream.update(zeros.subarray(0, Math.min(MiB, payloadBytes - written))));
    }
  } finally {
    await payload.close();
  }
  const file = path.join(dir, 'package.tgz');
  await run('tar', ['-I', 'gzip -1', '-cf', file, '-C', dir, 'package']);
  await rm(packageDir, { recursive: true, force: true });
  const sha1 = createHash('sha1');
  const sha512 = createHash('sha512');
  for await (const chunk of createReadStream(file)) {
    sha1.update(chunk);
    sha512.update(chunk);
  }
  return {
    file,
    size: (await stat(file)).size,
    shasum: sha1.digest('hex'),
    integrity: `sha512-${sha512.digest('base64')}`,
  };
}

/** The publish body's JSON around the attachment's base64 data: what comes before it, and after. */
function envelope(registry, manifest, tarball) {
  const fileName = `${manifest.name}-${manifest.version}.tgz`;
  const marker = '"data":""';
  const text = JSON.stringify({
    _id: manifest.name,
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          integrity: tarball.integrity,
          shasum: tarball.shasum,
          tarball: new URL(`${manifest.name}/-/${fileName}`, registry).href,
        },
      },
    },
    access: null,
    _attachments: {
      [fileName]: { content_type: 'application/octet-stream', data: '', length: tarball.size },
    },
  });
  const at = text.indexOf(marker) + marker.length - 1;
  return { before: text.slice(0, at), after: text.slice(at) };
}

/** The file in base64, a few hundred KB at a time (the carry keeps each piece whole groups of 3 bytes). */
async function* base64Of(file) {
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 384 * 1024 })) {
    const bytes = Buffer.concat([carry, chunk]);
    const whole = bytes.length - (bytes.length % 3);
    yield Buffer.from(bytes.subarray(0, whole).toString('base64'));
    carry = bytes.subarray(whole);
  }
  if (carry.length > 0) yield Buffer.from(carry.toString('base64'));
}

/**
 * PUT of the body npm builds for `tarball`, streamed from disk with its Content-Length (npm sends the
 * body as one string, so with a length) and the token; resolves with the status and the answer's
 * start, also when the server answers early or the upload fails.
 */
function putStreamed(registry, token, manifest, tarball, timeoutMs) {
  const { before, after } = envelope(registry, manifest, tarball);
  const length = Buffer.byteLength(before) + Math.ceil(tarball.size / 3) * 4 + Buffer.byteLength(after);
  async function* body() {
    yield Buffer.from(before);
    yield* base64Of(tarball.file);
    yield Buffer.from(after);
  }
  const url = new URL(manifest.name.replace('/', '%2f'), registry);
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'PUT',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { ...npmHeaders, 'content-length': String(length), authorization: `Bearer ${token}` },
    });
    req.once('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.once('end', () =>
        resolve({ status: res.statusCode, answer: Buffer.concat(chunks).toString().slice(0, 300) }),
      );
      res.once('error', (error) => resolve({ status: res.statusCode, answer: error.message }));
    });
    req.once('error', (error) => resolve({ status: null, answer: error.message }));
    // the upload may be cut off by an early answer: that answer is what counts, so only a failure
    // without one ends the request (after a moment for the answer to arrive)
    pipeline(Readable.from(body()), req).catch((error) => {
      setTimeout(() => resolve({ status: null, answer: error.message }), 2000).unref();
    });
  });
}

/** Resets the process's VmHWM to its current RSS (Linux ≥ 4.0), so the peak read later is this section's. */
async function resetPeak(pid) {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * The scenario on one registry: `tarball` published as `manifest` while a loop of packument GETs runs
 * until the publish has answered. Every read is bounded by `timeoutMs`, as is the publish.
 */
export async function measureBigPublish({ pid, url, token, manifest, tarball, timeoutMs }) {
  const peakReset = await resetPeak(pid);
  const rssBeforeMiB = round(memoryMiB(pid).rss);
  const packument = new URL(names.small.replace('/', '%2f'), url).href;
  const latencies = [];
  const readErrors = [];
  let publishing = true;
  const reader = (async () => {
    while (publishing) {
      const started = performance.now();
      try {
        const { status } = await npmGet(packument, { signal: AbortSignal.timeout(timeoutMs) });
        if (status !== 200) readErrors.push(`status ${status}`);
      } catch (error) {
        readErrors.push(error.message);
      }
      latencies.push(performance.now() - started);
    }
  })();
  const started = performance.now();
  const published = await putStreamed(url, token, manifest, tarball, timeoutMs);
  const publishSeconds = round((performance.now() - started) / 1000, 2);
  publishing = false;
  await reader;
  return {
    tarballMiB: round(tarball.size / MiB),
    status: published.status,
    ok: published.status >= 200 && published.status < 300,
    answer: published.answer,
    publishSeconds,
    reads: latencies.length,
    readErrors: readErrors.length,
    firstReadError: readErrors[0],
    readMaxMs: latencies.length ? round(Math.max(...latencies)) : null,
    readP99Ms: latencies.length ? round(percentile(latencies, 99)) : null,
    rssBeforeMiB,
    // a server that died of the publish has no /proc entry left to read
    peakRssMiB: exitOf(pid) ? null : round(memoryMiB(pid).peakRss),
    peakReset,
  };
}
