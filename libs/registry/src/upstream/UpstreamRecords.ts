import { ContentType } from '@myorg/constants';
import type { Logger } from '@myorg/logger';
import type { ObjectStorage } from '@myorg/storage';
import { isPlainObject, safeJsonParse } from '@myorg/utilities';
import type { PackumentForm } from '../packument/types.ts';
import { newCopy, type UpstreamCopy } from './upstreamCopy.ts';
import { asUpstreamDocument } from './upstreamDocument.ts';
import { legacyUpstreamPackumentKey, upstreamPackumentKey } from './upstreamKeys.ts';

export interface UpstreamRecordsOptions {
  storage: ObjectStorage;
  logger: Logger;
}

/** Matches `{"etag": ..., "form": ..., "packument": <the upstream's bytes>}`; `form` is absent in legacy records. */
interface StoredRecord {
  etag?: unknown;
  form?: unknown;
  packument?: unknown;
}

/** Legacy keys in the order they are read: a full copy serves more than an abbreviated one. */
const legacyForms: readonly PackumentForm[] = ['full', 'abbreviated'];

/**
 * The durable copy of each upstream package: one record per package, whichever form it holds.
 * Records of earlier versions, one per form, are read when no record is there, and removed once
 * the package is stored anew. The time a record was stored stands for when its copy was last
 * confirmed. A record that cannot be read counts as absent: the upstream is asked again.
 */
export class UpstreamRecords {
  readonly #options: UpstreamRecordsOptions;
  /** Packages whose copy came from a legacy record, to remove once a new record replaces it. */
  readonly #legacy = new Set<string>();

  constructor(options: UpstreamRecordsOptions) {
    this.#options = options;
  }

  async load(name: string): Promise<UpstreamCopy | undefined> {
    const current = await this.#read(name, upstreamPackumentKey(name), undefined);
    if (current !== undefined) return current;
    for (const form of legacyForms) {
      const legacy = await this.#read(name, legacyUpstreamPackumentKey(name, form), form);
      if (legacy === undefined) continue;
      this.#legacy.add(name);
      return legacy;
    }
    return undefined;
  }

  /** Writes the record of `copy`; the bytes go in as received, without a parse-and-serialise round. */
  async save(copy: UpstreamCopy, body: Buffer): Promise<void> {
    const key = upstreamPackumentKey(copy.name);
    const head = `{"etag":${JSON.stringify(copy.etag ?? null)},"form":${JSON.stringify(copy.form)},"packument":`;
    const record = Buffer.concat([Buffer.from(head), body, Buffer.from('}')]);
    try {
      // A copy lost in a crash is fetched again.
      await this.#options.storage.put(key, record, { contentType: ContentType.JSON, cache: true });
    } catch (error) {
      // The copy in memory still serves; only the next restart loses it.
      this.#options.logger.warn('could not store an upstream document', { key, error });
      return;
    }
    if (this.#legacy.delete(copy.name)) await this.#deleteLegacy(copy.name);
  }

  /** The upstream no longer has the package: no record of it may serve again. */
  async delete(name: string): Promise<void> {
    this.#legacy.delete(name);
    await this.#remove(upstreamPackumentKey(name));
    await this.#deleteLegacy(name);
  }

  async #deleteLegacy(name: string): Promise<void> {
    for (const form of legacyForms) await this.#remove(legacyUpstreamPackumentKey(name, form));
  }

  async #remove(key: string): Promise<void> {
    try {
      await this.#options.storage.delete(key);
    } catch (error) {
      this.#options.logger.warn('could not remove an upstream document', { key, error });
    }
  }

  /** The copy stored under `key`; `legacyForm` is the form a record without one holds. */
  async #read(
    name: string,
    key: string,
    legacyForm: PackumentForm | undefined,
  ): Promise<UpstreamCopy | undefined> {
    try {
      const stored = await this.#options.storage.get(key);
      if (stored === undefined) return undefined;
      const parsed = safeJsonParse<StoredRecord>(stored.body);
      const record = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
      const document = asUpstreamDocument(record.packument, name);
      const form = legacyForm ?? record.form;
      if (document === undefined || (form !== 'full' && form !== 'abbreviated')) {
        throw new TypeError('not an upstream record');
      }
      const etag = typeof record.etag === 'string' ? record.etag : undefined;
      return newCopy({
        name,
        form,
        document,
        etag,
        checkedAt: stored.lastModified.getTime(),
        bytes: stored.size,
      });
    } catch (error) {
      this.#options.logger.warn('ignoring an unreadable upstream cache record', { key, error });
      return undefined;
    }
  }
}
