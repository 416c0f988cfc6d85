import { z } from '@myorg/validation';

/** A GitHub user who has signed in, as stored under `auth/github-users/<login>.json`; never a GitHub token. */
export const gitHubUserRecordSchema = z.object({
  /** The GitHub login, lower case; also the document id. */
  login: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  /** ISO 8601: the first sign-in. */
  created: z.string(),
  /** ISO 8601. */
  lastLogin: z.string(),
});

export type GitHubUserRecord = z.infer<typeof gitHubUserRecordSchema>;

/**
 * A web login in progress, under `auth/logins/<id>.json`, so that any instance (another Lambda) can
 * answer its callback and its polls. The secret of the `doneUrl` is stored only as a hash, and the
 * registry token is issued only to the poll that presents it: neither storage nor the `loginUrl`
 * alone yields a token.
 */
export const loginSessionSchema = z.object({
  /** SHA-256 (hex) of the `doneUrl` secret. */
  secretHash: z.string(),
  /** The OAuth `state` sent to GitHub, checked on the callback. */
  state: z.string(),
  /** ISO 8601. */
  expires: z.string(),
  status: z.enum(['pending', 'done', 'refused']),
  /** The user signed in, once done. */
  user: z.string().optional(),
  /** Once refused: why, for the terminal. */
  reason: z.string().optional(),
});

export type LoginSession = z.infer<typeof loginSessionSchema>;
