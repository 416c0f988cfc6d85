import { ContentType } from '@myorg/constants';
import type { ObjectStorage } from '@myorg/storage';
import { attestationsKey } from './storageKeys.ts';

/** One attestation of a version, as npm's registry lists it: what it attests, and its Sigstore bundle. */
export interface Attestation {
  predicateType: string;
  bundle: Record<string, unknown>;
}

/**
 * The attestations of published versions, stored as npm's attestations endpoint answers them
 * (`{ attestations: [...] }`) under the version's tarball digest: written before the packument
 * names them, like the tarball, and never rewritten for other bytes.
 */
export class AttestationStore {
  readonly #storage: ObjectStorage;

  constructor(storage: ObjectStorage) {
    this.#storage = storage;
  }

  async put(
    name: string,
    version: string,
    shasum: string,
    attestations: readonly Attestation[],
  ): Promise<void> {
    const document = JSON.stringify({ attestations });
    await this.#storage.put(attestationsKey(name, version, shasum), document, {
      contentType: ContentType.JSON,
    });
  }

  /** The stored document's bytes, or undefined when the version has none. */
  async get(name: string, version: string, shasum: string): Promise<Buffer | undefined> {
    return (await this.#storage.get(attestationsKey(name, version, shasum)))?.body;
  }
}
