import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createLogger } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import { parseConfig, z } from '@myorg/validation';
import { createAuthHandler } from './createAuthHandler.ts';
import { SessionStore } from './SessionStore.ts';
import { UserDirectory } from './UserDirectory.ts';

const env = parseConfig(
  z.object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
    AUTH_USERS_FILE: z.string().min(1),
    SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
  }),
  process.env,
  'environment',
);

const logger = createLogger({ context: { service: 'my-api-auth' } });
const users = UserDirectory.parse(JSON.parse(await readFile(env.AUTH_USERS_FILE, 'utf8')));
const sessions = new SessionStore({ ttlMs: env.SESSION_TTL_SECONDS * 1000 });
const server = createServer(createNodeListener(createAuthHandler({ users, sessions }), { logger }));

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : env.PORT;
  logger.info('listening', { url: `http://${env.HOST}:${port}` });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => logger.info('stopped')));
}
