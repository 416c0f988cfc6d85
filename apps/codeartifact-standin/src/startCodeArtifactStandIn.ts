import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, noopLogger } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import type { CodeArtifactState } from './CodeArtifactState.ts';
import { type CodeArtifactStandInOptions, createCodeArtifactStandIn } from './createCodeArtifactStandIn.ts';

export interface RunningStandIn {
  /** `http://host:port` without a trailing slash: the value for AWS_ENDPOINT_URL or `--endpoint-url`. */
  url: string;
  state: CodeArtifactState;
  close(): Promise<void>;
}

/** The stand-in on an HTTP server; port 0 picks a free one. Loopback only by default. */
export async function startCodeArtifactStandIn(
  options: CodeArtifactStandInOptions & { host?: string; port?: number; logger?: Logger } = {},
): Promise<RunningStandIn> {
  const { host = '127.0.0.1', port = 0 } = options;
  const logger = options.logger ?? noopLogger;
  const { handler, state } = createCodeArtifactStandIn({ ...options, logger });
  const server = createServer(createNodeListener(handler, { logger }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
