import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from './support/httpClient.ts';
import { nxServeRegistry, type RegistryServer, startRegistry } from './support/registryServer.ts';

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
    expect(storage).toContain(server.storage.url);
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

  // Nx used to report "Successfully ran target serve" with exit code 0 for a continuous target
  // whose process had failed.
  describe('through `nx serve registry`', { timeout: 180_000 }, () => {
    it('exits non-zero with the configuration error', async () => {
      // Act
      const ended = await nxServeRegistry({ PORT: 'abc', REGISTRY_STORAGE: 'bogus' });

      // Assess
      expect(ended.code, ended.output).toBe(1);
      expect(ended.output).toMatch(
        /invalid registry configuration: PORT: must be a port number; REGISTRY_STORAGE: /,
      );
      expect(ended.output).not.toMatch(/Successfully ran/);
    });

    it('exits non-zero when the port is taken, naming it', async () => {
      // Prepare
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const { port } = taken.address() as { port: number };

      try {
        // Act
        const ended = await nxServeRegistry({ PORT: String(port) });

        // Assess
        expect(ended.code, ended.output).toBe(1);
        expect(ended.output).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
        expect(ended.output).not.toMatch(/Successfully ran/);
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    });
  });
});
