import { z } from '@myorg/validation';

/** A stored password: the scrypt parameters travel with the hash, so they can be raised later. */
export const passwordHashSchema = z.object({
  algorithm: z.literal('scrypt'),
  /** CPU/memory cost (N). */
  cost: z.number().int().positive(),
  blockSize: z.number().int().positive(),
  parallelization: z.number().int().positive(),
  /** Base64 of the random salt. */
  salt: z.string(),
  /** Base64 of the derived key. */
  hash: z.string(),
});

export type PasswordHash = z.infer<typeof passwordHashSchema>;

/** A user as stored under `auth/users/<name>.json`. Nothing in it is secret in clear. */
export const userRecordSchema = z.object({
  /** Lower case; also the document id. */
  name: z.string(),
  email: z.string(),
  password: passwordHashSchema,
  /** ISO 8601. */
  created: z.string(),
  /** Lower case; access rules name them `group:<name>`. */
  groups: z.array(z.string()).optional(),
});

export type UserRecord = z.infer<typeof userRecordSchema>;
