import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertValidKey, isValidKey } from './assertValidKey.ts';
import { assertByteRange } from './byteRange.ts';
import { assertConditions } from './checkPreconditions.ts';
import { contentTypeForKey } from './contentTypeForKey.ts';
import type {
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStorage,
  ObjectStream,
  SignedUrl,
  SignedUrlOptions,
  StoredObject,
  WriteOptions,
} from './ObjectStorage.ts';
import { checkListOptions } from './paginate.ts';
import { invalidOption, preconditionFailed, rangeNotSatisfiable } from './storageErrors.ts';

export interface S3StorageOptions {
  bucket: string;
  /** Keys are stored under `<prefix>/`; empty or absent: at the bucket's root. */
  prefix?: string;
  /** A KMS key id or ARN: every put is encrypted with `aws:kms` under it instead of SSE-S3 (`AES256`). */
  kmsKeyId?: string;
  /**
   * Defaults to a client from the SDK's standard configuration (see `defaultS3Client`). For
   * `signedUrl` PUTs, give it `requestChecksumCalculation: 'WHEN_REQUIRED'` as that one has.
   */
  client?: S3Client;
}

/**
 * A client from the SDK's standard configuration: region, credentials and endpoint from the
 * environment and profiles (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_S3`, ...). With an
 * endpoint set (an S3-compatible store, s3rver, MinIO), buckets are addressed in the path: such a
 * host rarely resolves `<bucket>.<host>` names.
 */
export function defaultS3Client(
  env: Readonly<Record<string, string | undefined>> = process.env,
  /** Settings on top, such as a batch tool's `maxAttempts`. */
  overrides: S3ClientConfig = {},
): S3Client {
  return new S3Client({
    forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL),
    // Otherwise a presigned PUT carries the CRC32 of an empty body and S3 refuses every upload to
    // it. The registry checks each tarball's integrity itself before it commits it.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** A missing object, not a missing bucket (which is the operator's to fix, not "not found"). */
function isNoSuchKey(error: unknown): boolean {
  return error instanceof S3ServiceException && error.name === 'NoSuchKey';
}

async function* counted(body: AsyncIterable<Uint8Array>, total: { bytes: number }) {
  for await (const chunk of body) {
    total.bytes += chunk.byteLength;
    yield chunk;
  }
}

/**
 * Objects in an S3 bucket (or any store speaking S3), under an optional key prefix. Every put is
 * encrypted at rest (SSE-S3, or SSE-KMS with `kmsKeyId`); conditions become S3's conditional
 * requests (`If-None-Match: *`, `If-Match`), which S3 evaluates atomically, so several servers can
 * share a bucket without a lock. Stores that ignore those headers would lose updates silently:
 * `checkConditionalWrites` finds out at start. Content types are kept as written (derived from the
 * key when not given). PutObject does not answer Last-Modified, so `put` reports this machine's clock.
 */
export class S3Storage implements ObjectStorage {
  readonly description: string;
  private readonly client: S3Client;
  /** The bucket and key prefix (empty, or ending with `/`): for tools that work on the bucket itself. */
  readonly bucket: string;
  readonly prefix: string;
  private readonly encryption: { ServerSideEncryption: ServerSideEncryption; SSEKMSKeyId?: string };

  constructor(options: S3StorageOptions) {
    const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (prefix !== '') assertValidKey(prefix);
    this.bucket = options.bucket;
    this.prefix = prefix === '' ? '' : `${prefix}/`;
    this.client = options.client ?? defaultS3Client();
    this.encryption =
      options.kmsKeyId === undefined
        ? { ServerSideEncryption: 'AES256' }
        : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: options.kmsKeyId };
    this.description = `s3://${options.bucket}/${this.prefix}`;
  }

  /** `s3://bucket` or `s3://bucket/prefix`, with a client from the standard configuration. */
  static fromUrl(url: URL, kmsKeyId?: string, client?: S3Client): S3Storage {
    if (url.hostname === '' || url.username !== '' || url.password !== '' || url.port !== '' || url.search) {
      throw invalidOption(
        `storage URL "${url.href}" must be s3://bucket/prefix (no credentials, port or query)`,
      );
    }
    let prefix: string;
    try {
      prefix = decodeURIComponent(url.pathname);
    } catch {
      throw invalidOption(`storage URL "${url.href}" has a malformed %-escape in its prefix`);
    }
    return new S3Storage({ bucket: url.hostname, prefix, kmsKeyId, client });
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const object = await this.getStream(key);
    if (!object) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    return { ...object, body: Buffer.concat(chunks) };
  }

  async getStream(key: string, range?: { start: number; end?: number }): Promise<ObjectStream | undefined> {
    assertValidKey(key);
    if (range) assertByteRange(key, range);
    try {
      const output = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          Range: range && `bytes=${range.start}-${range.end ?? ''}`,
        }),
      );
      const body = output.Body;
      if (!(body instanceof Readable)) throw new Error(`S3 answered "${key}" without a body stream`);
      const info = this.info(key, output);
      if (!range) return { ...info, body };
      // `bytes <start>-<end>/<size>`: the size is the whole object's, ContentLength only the range's.
      const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(output.ContentRange ?? '');
      if (!match) {
        body.destroy();
        throw new Error(`S3 answered a range request for "${key}" without a Content-Range`);
      }
      return {
        ...info,
        size: Number(match[3]),
        range: { start: Number(match[1]), end: Number(match[2]) },
        body,
      };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      if (range && statusOf(error) === 416) {
        // S3's 416 does not carry the size that ERANGE reports.
        const head = await this.head(key);
        throw head ? rangeNotSatisfiable(key, range.start, head.size) : error;
      }
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    try {
      return this.info(
        key,
        await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string, options: WriteOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    assertConditions(options);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const params = this.writeParams(key, options);
    const output = await this.conditional(key, options, () =>
      this.client.send(new PutObjectCommand({ ...params, Body: bytes, ContentLength: bytes.byteLength })),
    );
    return this.written(key, output.ETag, bytes.byteLength, params.ContentType);
  }

  /**
   * Streams with lib-storage's Upload: bodies up to one part (5 MiB) go in a single PutObject,
   * larger ones as a multipart upload whose completion carries the conditions (S3 evaluates them
   * then). A failing body aborts the upload, so nothing is stored.
   */
  async putStream(
    key: string,
    body: AsyncIterable<Uint8Array>,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    assertValidKey(key);
    assertConditions(options);
    const params = this.writeParams(key, options);
    const total = { bytes: 0 };
    const upload = new Upload({
      client: this.client,
      params: { ...params, Body: Readable.from(counted(body, total)) },
    });
    const output = await this.conditional(key, options, () => upload.done());
    return this.written(key, output.ETag, total.bytes, params.ContentType);
  }

  async delete(key: string, options: { ifMatch?: string } = {}): Promise<boolean> {
    assertValidKey(key);
    assertConditions(options);
    const Key = this.prefix + key;
    if (options.ifMatch === undefined) {
      // DeleteObject answers 204 whether or not there was an object; only a head tells.
      if (!(await this.head(key))) return false;
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    }
    await this.conditional(key, options, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key, IfMatch: options.ifMatch })),
    );
    return true;
  }

  /** S3 pages in UTF-8 byte order and counts objects plus common prefixes against MaxKeys, as `list` does. */
  async list(options: ListOptions = {}): Promise<ListPage> {
    const { prefix, delimiter, cursor, limit } = checkListOptions(options);
    const output = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: this.prefix + prefix,
        Delimiter: delimiter,
        ContinuationToken: cursor,
        MaxKeys: limit,
      }),
    );
    const strip = (name: string) => name.slice(this.prefix.length);
    const objects = (output.Contents ?? [])
      .map((object) => ({
        key: strip(object.Key ?? ''),
        size: object.Size ?? 0,
        etag: object.ETag ?? '',
        lastModified: object.LastModified ?? new Date(0),
      }))
      // Not ours: a probe left by a crash in `checkConditionalWrites`, or an object written past this API.
      .filter((object) => isValidKey(object.key));
    const prefixes = (output.CommonPrefixes ?? []).map((common) => strip(common.Prefix ?? ''));
    return output.IsTruncated && output.NextContinuationToken
      ? { objects, prefixes, cursor: output.NextContinuationToken }
      : { objects, prefixes };
  }

  /**
   * Throws unless the store refuses a second create of one key (`If-None-Match: *`), as S3 does:
   * a store that ignores the header would let two servers overwrite each other's writes unseen.
   */
  async checkConditionalWrites(): Promise<void> {
    // `.~` segments are never valid keys, so the probe cannot collide with stored data.
    const Key = `${this.prefix}.~conditional-write-probe-${randomUUID()}`;
    const create = () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: 'probe',
          IfNoneMatch: '*',
          ...this.encryption,
        }),
      );
    try {
      await create();
      const refused = await create().then(
        () => false,
        (error: unknown) => {
          if (statusOf(error) === 412) return true;
          throw error;
        },
      );
      if (!refused) {
        throw invalidOption(
          `${this.description} ignores conditional writes (If-None-Match: *): servers sharing it would lose updates; use a store that supports them (S3 does)`,
        );
      }
    } finally {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    }
  }

  /**
   * A presigned URL (SigV4 in the query string). A PUT is signed together with its content type and
   * encryption headers, which the client must send exactly as given: S3 refuses the upload otherwise,
   * so nothing lands unencrypted.
   */
  async signedUrl(key: string, options: SignedUrlOptions): Promise<SignedUrl> {
    assertValidKey(key);
    const expiresIn = options.expiresInSeconds;
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604_800) {
      throw invalidOption(`a signed URL lasts 1 to 604800 seconds, not ${expiresIn}`);
    }
    const expiresAt = new Date(Date.now() + expiresIn * 1000);
    const Key = this.prefix + key;
    if (options.method === 'GET') {
      const command = new GetObjectCommand({ Bucket: this.bucket, Key });
      return {
        url: await getSignedUrl(this.client, command, { expiresIn }),
        method: 'GET',
        headers: {},
        expiresAt,
      };
    }
    const ContentType = options.contentType ?? contentTypeForKey(key) ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'content-type': ContentType,
      'x-amz-server-side-encryption': this.encryption.ServerSideEncryption,
    };
    if (this.encryption.SSEKMSKeyId !== undefined) {
      headers['x-amz-server-side-encryption-aws-kms-key-id'] = this.encryption.SSEKMSKeyId;
    }
    const command = new PutObjectCommand({ Bucket: this.bucket, Key, ContentType, ...this.encryption });
    const url = await getSignedUrl(this.client, command, {
      expiresIn,
      // Left in the query string, S3 would accept the upload without them; as signed headers it cannot.
      unhoistableHeaders: new Set(Object.keys(headers).filter((name) => name.startsWith('x-amz-'))),
      signableHeaders: new Set(Object.keys(headers)),
    });
    return { url, method: 'PUT', headers, expiresAt };
  }

  private writeParams(key: string, options: WriteOptions) {
    return {
      Bucket: this.bucket,
      Key: this.prefix + key,
      ContentType: options.contentType ?? contentTypeForKey(key) ?? 'application/octet-stream',
      ContentEncoding: options.contentEncoding,
      IfMatch: options.ifMatch,
      IfNoneMatch: options.ifNoneMatch,
      ...this.encryption,
    };
  }

  /** Runs a write, turning S3's answers to a failed condition into `EPRECONDITION`. */
  private async conditional<T>(
    key: string,
    options: Pick<WriteOptions, 'ifMatch' | 'ifNoneMatch'>,
    write: () => Promise<T>,
  ): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (options.ifMatch === undefined && options.ifNoneMatch === undefined) throw error;
      const status = statusOf(error);
      if (status === 412) {
        throw preconditionFailed(
          key,
          options.ifNoneMatch === '*' ? 'an object already exists' : `its etag is not ${options.ifMatch}`,
        );
      }
      // A 409 means another conditional write of the key is in flight: the caller re-reads and retries.
      if (status === 409) throw preconditionFailed(key, 'another conditional write is in progress');
      // With If-Match and no object, S3 answers 404 NoSuchKey.
      if (isNoSuchKey(error)) throw preconditionFailed(key, 'no object exists');
      throw error;
    }
  }

  private info(
    key: string,
    output: { ContentLength?: number; ETag?: string; LastModified?: Date; ContentType?: string },
  ): ObjectInfo {
    const info: ObjectInfo = {
      key,
      size: output.ContentLength ?? 0,
      etag: output.ETag ?? '',
      lastModified: output.LastModified ?? new Date(0),
    };
    if (output.ContentType !== undefined) info.contentType = output.ContentType;
    return info;
  }

  private written(key: string, etag: string | undefined, size: number, contentType: string): ObjectInfo {
    if (etag === undefined) throw new Error(`S3 answered a write of "${key}" without an ETag`);
    return { key, size, etag, lastModified: new Date(), contentType };
  }
}
