import { readJsonStream, type StringTaker } from '../http/readJsonStream.ts';
import type { TarballStore } from '../storage/TarballStore.ts';
import { decodeTarball } from './decodeTarball.ts';
import { isProvenanceFileName } from './provenanceAttachment.ts';
import { type StagedTarball, stageTarball } from './StagedTarball.ts';

/** Deeper than any package.json or packument needs; deeper bodies are refused while they parse. */
export const MAX_JSON_DEPTH = 64;

export interface PublishBodyLimits {
  /** Most bytes of the body apart from the tarball's base64 data. */
  maxDocumentBytes: number;
}

/** A `PUT /:pkg` body, parsed, with the tarball (if it carried one) already staged. */
export interface ReceivedPublishBody {
  /** The JSON value; the attachment's `data` is the `StagedTarball` that holds its bytes. */
  body: unknown;
  /** What the caller must `discardStaged` once the request is answered, whatever the outcome. */
  staged: StagedTarball | undefined;
}

/**
 * Reads a `PUT /:pkg` body as it streams in: the first `_attachments.<file>.data` string is decoded,
 * hashed and stored under a pending key on the way, and everything else is assembled, so memory
 * stays bounded by the document, never by the tarball. A provenance bundle (`<file>.sigstore`) is
 * JSON text, not a tarball: it stays in the document, within `maxDocumentBytes`. Further `data` strings (a body npm never
 * sends) are read and dropped; such a publish is refused for its count of attachments. If reading
 * fails after the tarball was staged, the staged object is removed before the error goes on.
 */
export async function receivePublishBody(
  body: AsyncIterable<Uint8Array> | undefined,
  tarballs: TarballStore,
  { maxDocumentBytes }: PublishBodyLimits,
): Promise<ReceivedPublishBody> {
  let staged: StagedTarball | undefined;
  const stage: StringTaker = async (pieces) => {
    if (staged !== undefined) {
      for await (const _dropped of pieces);
      return undefined;
    }
    staged = await stageTarball(tarballs, decodeTarball(pieces));
    return staged;
  };
  try {
    const value = await readJsonStream(body, {
      maxDepth: MAX_JSON_DEPTH,
      maxDocumentBytes,
      take: (path) =>
        path.length === 3 &&
        path[0] === '_attachments' &&
        path[2] === 'data' &&
        !isProvenanceFileName(String(path[1]))
          ? stage
          : undefined,
    });
    return { body: value, staged };
  } catch (error) {
    // The refusal matters more than the leftover, which the sweep of old pending objects removes.
    if (staged !== undefined) await tarballs.discardStaged(staged.key).catch(() => undefined);
    throw error;
  }
}
