import { afterEach, describe, expect, it } from 'vitest';
import { request } from './support/httpClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';

describe('the registry process', { timeout: 60_000 }, () => {
  let server: RegistryServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  }, 30_000);

  it('prints the banner: the URL it listens on, the storage, and the two npm commands', async () => {
    // Act
    server = await startRegistry();

    // Assess
    const [listening, storage, useIt, signIn] = server.output().split('\n');
    expect(listening).toBe(`myorg registry listening on ${server.url}`);
    // The description's wording is the storage's own; it must name where the data goes.
    expect(storage).toMatch(/^storage: /);
    expect(storage).toContain(server.storageDir);
    expect(useIt).toBe(`use it:  npm config set registry ${server.url}`);
    expect(signIn).toBe(`sign in: npm adduser --registry ${server.url}`);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops cleanly on %s', async (signal) => {
    // Prepare
    const running = await startRegistry();
    server = running;
    expect((await request(running, '/-/ping')).status).toBe(200);

    // Act
    process.kill(running.pid, signal);
    const ended = await running.exited();

    // Assess
    expect(ended).toEqual({ code: 0, signal: null });
  });

  it('refuses a bad configuration with a message and exit code 1, without a stack trace', async () => {
    // Act
    const failure = await startRegistry({ env: { REGISTRY_MAX_BODY: 'a lot' } }).then(
      () => new Error('the registry started'),
      (error: unknown) => error as Error,
    );

    // Assess
    expect(failure.message).toMatch(/exited before listening \(code 1, signal null\)/);
    expect(failure.message).toMatch(/REGISTRY_MAX_BODY/);
    expect(failure.message).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
