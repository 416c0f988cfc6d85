// Child process: the floor for `npm ci` — a plain static file server over pre-written packuments
// (<root>/<name>/index.json) and tarballs (<root>/<name>/-/<file>.tgz). No auth, no compression.
// Usage: node staticServer.mjs <root>. Prints "listening on <url>" when ready.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';

const root = path.resolve(process.argv[2] ?? '.');

const server = http.createServer(async (req, res) => {
  const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const relative = urlPath.endsWith('.tgz') ? urlPath : path.join(urlPath, 'index.json');
  const file = path.join(root, path.normalize(relative));
  const info = file.startsWith(root + path.sep) ? await stat(file).catch(() => null) : null;
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    return;
  }
  const type = file.endsWith('.tgz') ? 'application/octet-stream' : 'application/json';
  res.writeHead(200, { 'content-type': type, 'content-length': info.size });
  if (req.method === 'HEAD') res.end();
  // a client that hangs up mid-file is normal under load; pipeline then closes the file
  else pipeline(createReadStream(file), res, () => {});
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
