import { beforeEach } from 'vitest';
import type { RegistryServer } from './registryServer.ts';

/**
 * Prints what the servers logged when a test fails: a 500 seen through npm says nothing, the
 * server's own error line says why.
 */
export function serverOutputOnFailure(servers: () => readonly (RegistryServer | undefined)[]): void {
  beforeEach((context) => {
    context.onTestFailed(() => {
      for (const server of servers()) {
        if (server) console.error(`--- registry ${server.url} output\n${server.output()}`);
      }
    });
  });
}
