import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger, type Logger } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import { createLocalAuth, createRegistry, parseRegistryConfig, type RegistryConfig } from '@myorg/registry';
import { storageFromUrl } from '@myorg/storage';
import { banner } from './banner.ts';

export interface StartServerOptions {
  /** Where the default data directory (`<root>/data`) goes. */
  workspaceRoot: string;
  /** Defaults to JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
}

export interface RunningServer {
  config: RegistryConfig;
  /** The URL the server listens on, with a trailing slash. */
  url: string;
  /** The start-up banner (see banner.ts). */
  banner: string;
  /** Stops accepting connections, lets running requests finish (at most `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

/** The address to print: a wildcard host is reachable through loopback. */
function reachableHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** Environment → config → storage → registry → HTTP server, listening. */
export async function startServer(
  env: Readonly<Record<string, string | undefined>>,
  options: StartServerOptions,
): Promise<RunningServer> {
  const config = parseRegistryConfig(env, {
    storage: pathToFileURL(join(options.workspaceRoot, 'data')).href,
  });
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const storage = storageFromUrl(config.storage);
  const auth = createLocalAuth({ storage, allowRegistration: config.allowRegistration, logger });
  const handler = createRegistry({
    storage,
    auth,
    publicUrl: config.publicUrl,
    maxBodyBytes: config.maxBodyBytes,
  });
  const server = createServer(createNodeListener(handler, { logger }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${reachableHost(address)}:${address.port}/`;
  const publicUrl = config.publicUrl === undefined ? url : `${config.publicUrl}/`;
  return {
    config,
    url,
    banner: banner(url, publicUrl, storage.description),
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
