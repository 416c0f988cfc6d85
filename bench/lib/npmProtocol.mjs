// The few npm protocol calls the harness makes itself, shaped exactly as the npm CLI sends them.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** The headers npm sends with a publish. */
export const npmHeaders = {
  'user-agent': `npm/11 node/${process.version} bench`,
  'npm-command': 'publish',
  'content-type': 'application/json',
  accept: '*/*',
};

/** Creates a user (legacy CouchDB route, as `npm adduser`) and returns its token. */
export async function addUser(registry, name, password) {
  const id = `org.couchdb.user:${name}`;
  const response = await fetch(new URL(`-/user/${id}`, registry), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      _id: id,
      name,
      password,
      email: `${name}@example.invalid`,
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const text = await response.text();
  const token = response.ok ? JSON.parse(text).token : undefined;
  if (!token) throw new Error(`adduser on ${registry} failed: ${response.status} ${text.slice(0, 300)}`);
  return token;
}

/** The PUT body libnpmpublish builds for one version (base64 attachment, sha1 shasum, sha512 integrity). */
export function publishBody(registry, manifest, tarball, tag = 'latest') {
  const version = {
    ...manifest,
    _id: `${manifest.name}@${manifest.version}`,
    _nodeVersion: process.versions.node,
    _npmVersion: '11.0.0',
    dist: {
      integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
      shasum: createHash('sha1').update(tarball).digest('hex'),
      tarball: new URL(`${manifest.name}/-/${manifest.name}-${manifest.version}.tgz`, registry).href,
    },
  };
  return JSON.stringify({
    _id: manifest.name,
    name: manifest.name,
    description: manifest.description,
    'dist-tags': { [tag]: manifest.version },
    versions: { [manifest.version]: version },
    access: null,
    _attachments: {
      [`${manifest.name}-${manifest.version}.tgz`]: {
        content_type: 'application/octet-stream',
        data: tarball.toString('base64'),
        length: tarball.length,
      },
    },
  });
}

/**
 * PUTs a prepared publish body (anonymously when `token` is null); resolves to the round-trip time
 * in ms, rejects on a non-2xx answer.
 */
export async function putPublish(registry, token, name, body) {
  const started = performance.now();
  const response = await fetch(new URL(name.replace('/', '%2f'), registry), {
    method: 'PUT',
    headers: token ? { ...npmHeaders, authorization: `Bearer ${token}` } : npmHeaders,
    body,
  });
  const text = await response.text();
  const elapsed = performance.now() - started;
  if (!response.ok)
    throw new Error(`publish ${name} to ${registry}: ${response.status} ${text.slice(0, 300)}`);
  return elapsed;
}

/** GET with npm's headers; returns status, headers and the decoded body. */
export async function npmGet(url, { abbreviated = false, token, signal } = {}) {
  const headers = {
    accept: abbreviated
      ? 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*'
      : 'application/json',
    'accept-encoding': 'gzip,deflate',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { headers, signal });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}
