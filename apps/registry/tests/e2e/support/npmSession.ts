import { rm } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './fixtures.ts';
import { createUser } from './httpClient.ts';
import { createNpmClient, type NpmClient } from './npmClient.ts';
import { type RegistryServer, type StartOptions, startRegistry } from './registryServer.ts';
import { serverOutputOnFailure } from './serverOutputOnFailure.ts';

export interface NpmSessionOptions {
  /** Labels the temp folder. */
  label: string;
  /** A user created on the server whose token the client uses; anonymous without it. */
  user?: string;
  server?: StartOptions;
}

/** What a suite works with; filled in by its beforeAll hook. */
export interface NpmSession {
  server: RegistryServer;
  client: NpmClient;
  /** A temp folder removed after the suite. */
  work: string;
  /** The user's token, when a user was asked for. */
  token: string;
}

/**
 * One registry process, an npm client pointed at it, a temp folder and optionally a signed-in user,
 * set up before the suite's tests and removed after them; the server's output is printed when a
 * test fails. Read the fields inside tests or hooks: they are filled in by `beforeAll`.
 */
export function useNpmSession(options: NpmSessionOptions): NpmSession {
  const session = {} as Partial<NpmSession>;
  serverOutputOnFailure(() => [session.server]);

  beforeAll(async () => {
    session.server = await startRegistry(options.server);
    session.client = await createNpmClient(session.server.url);
    session.work = await tempDir(options.label);
    if (options.user !== undefined) {
      session.token = await createUser(session.server, options.user);
      await session.client.setToken(session.token);
    }
  }, 60_000);

  afterAll(async () => {
    await session.client?.remove();
    await session.server?.stop();
    if (session.work) await rm(session.work, { recursive: true, force: true });
  }, 30_000);

  return session as NpmSession;
}
