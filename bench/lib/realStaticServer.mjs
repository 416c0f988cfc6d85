// Child process: the ceiling a registry proxy cannot beat — every packument (full and abbreviated,
// plain and gzipped, with an ETag) and every tarball of the given fixture roots pre-rendered in memory
// and written to the socket as is. Roots use realFixture.mjs's layout (<name>/full.json, <name>/-/<file>.tgz);
// each version's dist.tarball is rewritten to this server.
// Usage: node realStaticServer.mjs <root>... Prints "listening on <url>" when ready.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { abbreviate } from './realFixture.mjs';

const roots = process.argv.slice(2).map((root) => path.resolve(root));

/** Package names under a root: folders holding full.json (scoped ones one level deeper). */
function packageNames(root) {
  const names = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (entry.name.startsWith('@')) {
      for (const inner of readdirSync(path.join(root, entry.name))) names.push(`${entry.name}/${inner}`);
    } else names.push(entry.name);
  }
  return names;
}

function rendered(doc, type) {
  const body = Buffer.from(JSON.stringify(doc));
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { type, etag, body, gzip: gzipSync(body) };
}

const packuments = new Map(); // name → { full, abbreviated }
const tarballs = new Map(); // "<name>/-/<file>" → Buffer

function load(base) {
  for (const root of roots) {
    for (const name of packageNames(root)) {
      const dir = path.join(root, ...name.split('/'));
      const full = JSON.parse(readFileSync(path.join(dir, 'full.json'), 'utf8'));
      for (const manifest of Object.values(full.versions ?? {})) {
        if (!manifest.dist?.tarball) continue;
        const file = manifest.dist.tarball.slice(manifest.dist.tarball.lastIndexOf('/') + 1);
        manifest.dist.tarball = new URL(`${name}/-/${file}`, base).href;
      }
      packuments.set(name, {
        full: rendered(full, 'application/json'),
        abbreviated: rendered(abbreviate(full), 'application/vnd.npm.install-v1+json'),
      });
      for (const file of readdirSync(path.join(dir, '-'))) {
        tarballs.set(`${name}/-/${file}`, readFileSync(path.join(dir, '-', file)));
      }
    }
  }
}

const server = http.createServer((req, res) => {
  const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname).slice(1);
  const tarball = tarballs.get(urlPath);
  if (tarball) {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length });
    res.end(req.method === 'HEAD' ? undefined : tarball);
    return;
  }
  const packument = packuments.get(urlPath);
  if (!packument) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    return;
  }
  const form = req.headers.accept?.includes('application/vnd.npm.install-v1+json')
    ? packument.abbreviated
    : packument.full;
  const headers = { 'content-type': form.type, etag: form.etag, vary: 'accept, accept-encoding' };
  if (req.headers['if-none-match'] === form.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? form.gzip : form.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  res.writeHead(200, { ...headers, 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const base = `http://127.0.0.1:${server.address().port}/`;
  load(base);
  console.log(`loaded ${packuments.size} packuments and ${tarballs.size} tarballs`);
  console.log(`listening on ${base}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
