import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConflictError } from '@myorg/error';
import { createLogger, type Logger } from '@myorg/logger';
import { createNodeListener, type Handler } from '@myorg/middleware';
import {
  createAuthProvider,
  createRegistry,
  createRegistryEvents,
  describeAuth,
  parseRegistryConfig,
  type RegistryConfig,
  startTemporarySweep,
} from '@myorg/registry';
import { storageFromUrl } from '@myorg/storage';
import { banner, redacted } from './banner.ts';
import { isOwnAddress } from './defaultUpstream.ts';

export interface StartServerOptions {
  /** Where the default data directory (`<root>/data`) goes. */
  workspaceRoot: string;
  /** Defaults to JSON lines on stdout at LOG_LEVEL. */
  logger?: Logger;
  /** REGISTRY_UPSTREAM when the environment leaves it unset: `serve` passes the user's npm registry. */
  defaultUpstream?: string;
}

export interface RunningServer {
  config: RegistryConfig;
  /** The URL the server listens on, with a trailing slash. */
  url: string;
  /** The registry proxied, or undefined: none configured, or the configured one is this very server. */
  upstream: string | undefined;
  /** The start-up banner (see banner.ts). */
  banner: string;
  /** Stops accepting connections, lets running requests finish (at most `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

/** How long an idle keep-alive connection is held: longer than a load balancer's 60 s idle timeout. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The address to print: a wildcard host is reachable through loopback. */
function reachableHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

function bracketed(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

function listeningUrl(address: AddressInfo, host: string): string {
  return `http://${host}:${address.port}/`;
}

/** A taken port, said so the operator can act on it (main.ts prints exposed messages only). */
function listenFailure(error: NodeJS.ErrnoException, config: RegistryConfig): Error {
  if (error.code !== 'EADDRINUSE') return error;
  return new ConflictError(
    `cannot listen on ${config.host}:${config.port}: the port is in use; stop what listens there, or set PORT to another port (0 picks a free one)`,
    { code: 'EADDRINUSE', cause: error },
  );
}

/** Environment → config → storage → registry → HTTP server, listening. */
export async function startServer(
  env: Readonly<Record<string, string | undefined>>,
  options: StartServerOptions,
): Promise<RunningServer> {
  const config = parseRegistryConfig(env, {
    storage: pathToFileURL(join(options.workspaceRoot, 'data')).href,
    upstream: options.defaultUpstream,
  });
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const storage = storageFromUrl(config.storage, { kmsKeyId: config.s3KmsKeyId });
  // A store that ignored conditional writes would let concurrent publishes overwrite each other: refuse to start on it.
  await storage.checkConditionalWrites?.();
  const auth = createAuthProvider(config, storage, logger);
  const sweep = startTemporarySweep({ storage, maxAgeMs: config.temporaryMaxAgeMs, logger });
  // Written in batches off the requests' path; `close` writes what is still buffered.
  const events = createRegistryEvents(storage, logger);
  // Whether the upstream is this server itself is known only once it listens (PORT=0 picks the
  // port), so the registry is built in the listen callback: no request can come before that.
  let upstream: string | undefined;
  const registryFor = (own: string[]): Handler => {
    const { url: configured, ...settings } = config.upstream;
    upstream = configured !== undefined && !isOwnAddress(configured, own) ? configured : undefined;
    if (configured !== undefined && upstream === undefined) {
      logger.warn('REGISTRY_UPSTREAM is this registry itself: nothing is proxied', {
        upstream: redacted(configured),
      });
    }
    return createRegistry({
      storage,
      auth,
      publicUrl: config.publicUrl,
      publicRead: config.publicRead,
      access: config.access,
      maxBodyBytes: config.maxBodyBytes,
      maxUploadBytes: config.maxUploadBytes,
      cache: { maxBytes: config.packumentCacheBytes },
      tarballMemoryBytes: config.tarballMemoryBytes,
      warmSearch: true,
      metricsToken: config.metricsToken,
      upstream: upstream === undefined ? undefined : { url: upstream, ...settings, logger },
      releaseAge: config.releaseAge,
      events,
    });
  };
  const server = createServer();
  // Node's old 5 s default closes idle sockets that fronts (60 s idle by default) and client pools
  // still hold: one reused as the close crosses it is a failed request. Newer Node defaults to this.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      sweep.stop();
      reject(listenFailure(error, config));
    };
    server.once('error', fail);
    server.listen(config.port, config.host, () => {
      server.off('error', fail);
      const address = server.address() as AddressInfo;
      const own = [listeningUrl(address, reachableHost(address)), listeningUrl(address, bracketed(address))];
      if (config.publicUrl !== undefined) own.push(config.publicUrl);
      server.on('request', createNodeListener(registryFor(own), { logger }));
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = listeningUrl(address, reachableHost(address));
  const publicUrl = config.publicUrl === undefined ? url : `${config.publicUrl}/`;
  return {
    config,
    url,
    upstream,
    banner: banner(
      url,
      publicUrl,
      storage.description,
      upstream === undefined ? 'none' : redacted(upstream),
      {
        storageUrl: config.storage,
        auth: describeAuth(config),
        allowRegistration: config.allowRegistration,
        publicRead: config.publicRead,
      },
    ),
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        sweep.stop();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          // After the last request: every event it recorded is written before the process exits.
          void events.close().then(resolve);
        });
        server.closeIdleConnections();
      }),
  };
}
