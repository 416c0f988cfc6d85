// Runs Verdaccio on a random loopback port with no uplinks, storage under the folder given as the
// first argument, and prints `listening on <url>` once it accepts requests. Started as a child
// process by the end-to-end test, so Verdaccio's globals never mix with the test's.
import { join } from 'node:path';
import { runServer } from 'verdaccio';

const root = process.argv[2];
if (!root) throw new Error('usage: verdaccioServer.ts <storage folder>');

const server = await runServer({
  self_path: join(root, 'config.yaml'),
  storage: join(root, 'storage'),
  auth: { htpasswd: { file: join(root, 'htpasswd') } },
  // JWT API tokens, as Verdaccio recommends: the default legacy token makes every authenticated
  // request check the password with bcrypt again, most of Verdaccio's CPU in the release flow.
  security: { api: { jwt: { sign: { expiresIn: '1h' } } } },
  uplinks: {},
  packages: {
    '@*/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
    '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
  },
  web: { enable: false },
  log: { type: 'stdout', format: 'json', level: 'error' },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}/`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
