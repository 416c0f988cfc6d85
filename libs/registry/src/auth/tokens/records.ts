import { z } from '@myorg/validation';

/** A token as stored under `auth/tokens/<key>.json`; the token itself is never stored. */
export const tokenRecordSchema = z.object({
  /** SHA-256 of the token in hex: the document id and the id `npm token` shows. */
  key: z.string(),
  /** The owner's user name. */
  user: z.string(),
  /** The token's first characters, for `npm token list`. */
  masked: z.string(),
  name: z.string(),
  description: z.string().optional(),
  readOnly: z.boolean(),
  /** IPv4 CIDR ranges the token may be used from; empty for anywhere. */
  cidrWhitelist: z.array(z.string()),
  /** ISO 8601. */
  created: z.string(),
  /** ISO 8601; absent for a token that does not expire. */
  expires: z.string().optional(),
  /** ISO 8601: when the token was last used, to within `LAST_USED_INTERVAL_MS`; absent until its first use. */
  lastUsed: z.string().optional(),
  /** Packages the token may publish and nothing else (trusted publishing); absent for a user's token. */
  packages: z.array(z.string()).optional(),
});

export type TokenRecord = z.infer<typeof tokenRecordSchema>;

/** The entry under `auth/user-tokens/<name>/<key>.json` that lists a token with its owner. */
export const tokenIndexEntrySchema = z.object({ created: z.string() });

export type TokenIndexEntry = z.infer<typeof tokenIndexEntrySchema>;
