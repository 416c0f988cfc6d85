import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver, { type S3rverStore } from 's3rver';
import { KeyedMutex } from '../../src/index.ts';

/** What the store saw of one request that writes an object's content (PutObject, CreateMultipartUpload). */
export interface SeenWrite {
  key: string;
  encryption: string | undefined;
  kmsKeyId: string | undefined;
}

export interface S3Fixture {
  /** A client for s3rver behind the conditional-write wrapper (`conditional: true`) or for bare s3rver. */
  client(options?: { conditional?: boolean }): S3Client;
  /** The SDK's standard environment variables for the same store, for code that makes its own client. */
  env(options?: { conditional?: boolean }): Record<string, string>;
  /** Creates an empty bucket and answers its name. */
  createBucket(): Promise<string>;
  /** Every content write the wrapper passed on, with its encryption headers. */
  writes: SeenWrite[];
  stop(): Promise<void>;
}

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

/** S3's error document, as https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html shows it. */
function answerError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * ListObjectsV2 as https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * describes it, over s3rver's stored objects: keys in UTF-8 byte order, objects and common
 * prefixes counted together against max-keys, and a continuation token after the last entry.
 */
async function answerListing(
  store: S3rverStore,
  bucket: string,
  query: URLSearchParams,
  response: ServerResponse,
  pageSize: number,
) {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000);
  const limit = Math.min(maxKeys, pageSize);
  const token = query.get('continuation-token');
  const after = token === null ? undefined : Buffer.from(token, 'base64url').toString();
  const { objects } = await store.listObjects(bucket, { prefix });
  objects.sort((x, y) => Buffer.compare(Buffer.from(x.key), Buffer.from(y.key)));
  const entries: string[] = [];
  let last: string | undefined;
  let truncated = false;
  for (const object of objects) {
    if (
      after !== undefined &&
      (Buffer.compare(Buffer.from(object.key), Buffer.from(after)) <= 0 || object.key.startsWith(after))
    )
      continue;
    const cut = delimiter === '' ? -1 : object.key.indexOf(delimiter, prefix.length);
    const common = cut === -1 ? undefined : object.key.slice(0, cut + delimiter.length);
    if (common !== undefined && common === last) continue;
    if (entries.length === limit) {
      truncated = true;
      break;
    }
    last = common ?? object.key;
    entries.push(
      common === undefined
        ? `<Contents><Key>${escapeXml(object.key)}</Key><LastModified>${object.lastModifiedDate.toISOString()}</LastModified><ETag>${escapeXml(object.metadata.etag)}</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`
        : `<CommonPrefixes><Prefix>${escapeXml(common)}</Prefix></CommonPrefixes>`,
    );
  }
  const next =
    truncated && last !== undefined
      ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>`
      : '';
  response.writeHead(200, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${entries.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${entries.join('')}</ListBucketResult>`,
  );
}

/** The current object's ETag, asked of s3rver without credentials (it serves anonymous requests). */
function currentEtag(upstream: string, objectPath: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const head = request(`${upstream}${objectPath}`, { method: 'HEAD' }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 ? String(response.headers.etag) : undefined);
    });
    head.on('error', reject);
    head.end();
  });
}

/**
 * The request's whole body, or undefined when the client went away before sending all of it. S3
 * stores an object only once its whole body has arrived ("Amazon S3 never adds partial objects",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html); s3rver writes as it reads,
 * so a cut-off upload would leave a truncated object there.
 */
async function completeBody(incoming: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return incoming.complete ? Buffer.concat(chunks) : undefined;
}

async function forward(upstream: string, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const writes = incoming.method === 'PUT' || incoming.method === 'POST';
  const body = writes ? await completeBody(incoming) : undefined;
  if (writes && body === undefined) {
    outgoing.destroy();
    return;
  }
  return new Promise((resolve, reject) => {
    let answer: IncomingMessage | undefined;
    const proxied = request(
      `${upstream}${incoming.url}`,
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        answer = response;
        response.on('end', resolve);
        response.on('error', reject);
        if (outgoing.destroyed) {
          response.resume();
          return;
        }
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    proxied.on('error', reject);
    outgoing.on('close', () => {
      if (outgoing.writableFinished) return;
      // A write whose whole body has arrived completes, as on S3, whether or not its client still
      // waits for the answer (cutting s3rver off would leave the object half rewritten). A read
      // nobody waits for is dropped, so it cannot leave s3rver's answer pending.
      if (body === undefined) {
        proxied.destroy();
      } else {
        answer?.unpipe(outgoing);
        answer?.resume();
      }
    });
    if (body === undefined) incoming.pipe(proxied);
    else proxied.end(body);
  });
}

/**
 * s3rver (3.7) ignores `If-None-Match` and `If-Match` on PutObject, CompleteMultipartUpload and
 * DeleteObject: it would overwrite silently. Its ListObjectsV2 lists in directory-walk order, does
 * not count common prefixes against max-keys and fails on its own continuation tokens for such
 * keys. This loopback proxy in front of it answers listings itself (`answerListing`) and evaluates
 * the conditions as
 * AWS documents ("How to prevent object overwrites with conditional writes",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html, and "How to
 * perform conditional deletes", .../conditional-deletes.html): `If-None-Match: *` fails with 412
 * PreconditionFailed when an object exists; `If-Match` fails with 404 NoSuchKey when none exists
 * and 412 when its ETag differs. Writes of one key pass one at a time, so check and write are
 * atomic as on S3. Reads of an object (GET, HEAD) take the same turns, since s3rver rewrites an
 * object's file in place where S3 swaps whole objects. A write reaches s3rver only once its whole
 * body has arrived (`completeBody`). Everything else goes to s3rver unchanged (signatures included).
 */
async function startConditionalProxy(
  upstream: string,
  store: S3rverStore,
  writes: SeenWrite[],
  pageSize: number,
) {
  const mutex = new KeyedMutex();
  const server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    const objectPath = url.pathname;
    const [bucket = '', ...keyParts] = objectPath.slice(1).split('/');
    const isObject = keyParts.join('/') !== '';
    const method = incoming.method ?? 'GET';
    const isPut =
      method === 'PUT' && !url.searchParams.has('partNumber') && !incoming.headers['x-amz-copy-source'];
    const isComplete = method === 'POST' && url.searchParams.has('uploadId');
    const isDelete = method === 'DELETE' && !url.searchParams.has('uploadId');
    if ((isPut || (method === 'POST' && url.searchParams.has('uploads'))) && isObject) {
      writes.push({
        key: decodeURIComponent(objectPath),
        encryption: incoming.headers['x-amz-server-side-encryption'] as string | undefined,
        kmsKeyId: incoming.headers['x-amz-server-side-encryption-aws-kms-key-id'] as string | undefined,
      });
    }
    if (!isObject && method === 'GET' && url.searchParams.get('list-type') === '2') {
      incoming.resume();
      answerListing(store, decodeURIComponent(bucket), url.searchParams, outgoing, pageSize).catch(() =>
        outgoing.destroy(),
      );
      return;
    }
    const isRead = method === 'GET' || method === 'HEAD';
    if (!isObject || !(isPut || isComplete || isDelete || isRead)) {
      forward(upstream, incoming, outgoing).catch(() => outgoing.destroy());
      return;
    }
    if (isRead) {
      // s3rver rewrites an object's file in place: a read alongside a write could see part of it.
      void mutex.run(objectPath, () => forward(upstream, incoming, outgoing)).catch(() => outgoing.destroy());
      return;
    }
    void mutex
      .run(objectPath, async () => {
        const ifNoneMatch = incoming.headers['if-none-match'];
        const ifMatch = incoming.headers['if-match'];
        if (ifNoneMatch !== undefined || ifMatch !== undefined) {
          const etag = await currentEtag(upstream, objectPath);
          const failed =
            (ifNoneMatch === '*' && !isDelete && etag !== undefined) ||
            (ifMatch !== undefined && etag !== undefined && ifMatch !== '*' && ifMatch !== etag);
          if (ifMatch !== undefined && etag === undefined) {
            incoming.resume();
            return answerError(outgoing, 404, 'NoSuchKey', 'The specified key does not exist.');
          }
          if (failed) {
            incoming.resume();
            return answerError(
              outgoing,
              412,
              'PreconditionFailed',
              'At least one of the pre-conditions you specified did not hold',
            );
          }
        }
        await forward(upstream, incoming, outgoing);
      })
      .catch(() => outgoing.destroy());
  });
  return { server, url: await listen(server) };
}

/**
 * s3rver on a random port over a temporary directory, with the conditional-write proxy in front.
 * `pageSize` caps every listing page below the max-keys asked for, as S3 may ("returns some or
 * all (up to 1,000)"): a few dozen objects then cross as many pages as thousands would.
 */
export async function startS3rver({ pageSize = 1000 }: { pageSize?: number } = {}): Promise<S3Fixture> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const address = await s3rver.run();
  const upstream = `http://127.0.0.1:${address.port}`;
  const writes: SeenWrite[] = [];
  const proxy = await startConditionalProxy(upstream, s3rver.store, writes, pageSize);
  const clients: S3Client[] = [];
  const client = ({ conditional = true } = {}) => {
    const created = new S3Client({
      endpoint: conditional ? proxy.url : upstream,
      region: 'us-east-1',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    clients.push(created);
    return created;
  };
  return {
    client,
    env: ({ conditional = true } = {}) => ({
      AWS_ENDPOINT_URL_S3: conditional ? proxy.url : upstream,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }),
    writes,
    async createBucket() {
      const bucket = `test-${randomUUID()}`;
      await s3rver.store.putBucket(bucket);
      return bucket;
    },
    async stop() {
      for (const created of clients) created.destroy();
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy.server.close(resolve));
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
