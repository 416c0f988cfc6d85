import { describe, expect, it } from 'vitest';
import { decodeTarball } from '../src/publish/decodeTarball.ts';

async function* piecesOf(...pieces: string[]): AsyncGenerator<string> {
  yield* pieces;
}

async function decoded(...pieces: string[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of decodeTarball(piecesOf(...pieces))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('decodeTarball', () => {
  it('decodes base64 cut anywhere, padding included', async () => {
    // Prepare
    const bytes = Buffer.from('npm packs gzipped tar archives!');
    const text = bytes.toString('base64');

    // Act / Assess
    for (let cut = 0; cut <= text.length; cut++) {
      expect(await decoded(text.slice(0, cut), text.slice(cut))).toEqual(bytes);
    }
    expect(await decoded('QQ', '=', '=')).toEqual(Buffer.from('A'));
  });

  it.each([
    ['a character outside the alphabet', ['QUJD', 'R!==']],
    ['whitespace', ['QUJD ', 'QUJD']],
    ['data after the padding', ['QQ==', 'QUJD']],
    ['padding in the middle of a piece', ['QQ==QUJD']],
    ['a length that is not a multiple of four', ['QUJDR']],
    ['bits beyond the last byte', ['QR==']],
  ])('refuses %s', async (_what, pieces) => {
    await expect(decoded(...pieces)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/not base64/),
    });
  });
});
