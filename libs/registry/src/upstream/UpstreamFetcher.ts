import { BadGatewayError } from '@myorg/error';
import type { RegistryClient } from '@myorg/services';
import type { PackumentForm } from '../packument/types.ts';
import { UpstreamMessages } from './messages.ts';
import type { UpstreamGate } from './UpstreamGate.ts';
import { newCopy, type UpstreamCopy } from './upstreamCopy.ts';
import { asUpstreamDocument } from './upstreamDocument.ts';

export interface UpstreamFetcherOptions {
  client: RegistryClient;
  gate: UpstreamGate;
  now: () => number;
}

/** What one request for a package document brought. */
export type Fetched =
  /** The upstream has no such package. */
  | { status: 404 }
  /** The copy revalidated is still current; its `checkedAt` is now. */
  | { status: 304; copy: UpstreamCopy }
  /** A new copy, with the bytes as received for storing. */
  | { status: 200; copy: UpstreamCopy; body: Buffer };

/**
 * Package documents from the upstream, through the gate: fetched in a form, or revalidated by the
 * ETag of a held copy. A body that is no document of the package, or a 304 to a request that
 * named no ETag, is the upstream failing (502), and counts towards marking it down.
 */
export class UpstreamFetcher {
  readonly #options: UpstreamFetcherOptions;

  constructor(options: UpstreamFetcherOptions) {
    this.#options = options;
  }

  /** The document of `name` in `form`, unconditionally. */
  fetch(name: string, form: PackumentForm): Promise<Fetched> {
    return this.#ask(name, form, undefined);
  }

  /** Asks whether `copy` is still current, by its ETag in its own form; without an ETag, fetches it anew. */
  revalidate(copy: UpstreamCopy): Promise<Fetched> {
    return this.#ask(copy.name, copy.form, copy);
  }

  #ask(name: string, form: PackumentForm, held: UpstreamCopy | undefined): Promise<Fetched> {
    const { client, gate, now } = this.#options;
    const etag = held?.etag;
    return gate.run(async () => {
      const answer = await client.getPackument(name, {
        abbreviated: form === 'abbreviated',
        ...(etag === undefined ? {} : { etag }),
      });
      if (answer === undefined) return { status: 404 as const };
      if (answer.status === 304) {
        if (held === undefined || etag === undefined) {
          throw new BadGatewayError(UpstreamMessages.notAPackument(name));
        }
        held.checkedAt = now();
        return { status: 304 as const, copy: held };
      }
      const document = asUpstreamDocument(answer.document(), name);
      if (document === undefined) throw new BadGatewayError(UpstreamMessages.notAPackument(name));
      const copy = newCopy({
        name,
        form,
        document,
        etag: answer.etag,
        checkedAt: now(),
        bytes: answer.body.byteLength,
      });
      return { status: 200 as const, copy, body: answer.body };
    });
  }
}
