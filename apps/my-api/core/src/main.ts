import { createServer } from 'node:http';
import { DocumentStore } from '@myorg/database';
import { createLogger } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import { RegistryClient } from '@myorg/services';
import { storageFromUrl } from '@myorg/storage';
import { parseConfig, z } from '@myorg/validation';
import { parseStoredEntry } from './catalogueEntry.ts';
import { createCatalogueHandler } from './createCatalogueHandler.ts';

const env = parseConfig(
  z.object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3002),
    CATALOGUE_STORAGE: z.string().min(1),
    REGISTRY_URL: z.url({ protocol: /^https?$/ }),
    REGISTRY_TOKEN: z.string().min(1).optional(),
  }),
  process.env,
  'environment',
);

const logger = createLogger({ context: { service: 'my-api-core' } });
const storage = storageFromUrl(env.CATALOGUE_STORAGE);
const entries = new DocumentStore(storage, { prefix: 'entries/', validate: parseStoredEntry });
const registry = new RegistryClient({ registry: env.REGISTRY_URL, token: env.REGISTRY_TOKEN });
const server = createServer(createNodeListener(createCatalogueHandler({ entries, registry }), { logger }));

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : env.PORT;
  logger.info('listening', { url: `http://${env.HOST}:${port}`, storage: storage.description });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => logger.info('stopped')));
}
