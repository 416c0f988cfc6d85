import { rm } from 'node:fs/promises';
import { AUDIT_PREFIX, type RegistryEvent } from '@myorg/registry';
import { listAll } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from './support/adminCli.ts';
import { tempDir, writePackage } from './support/fixtures.ts';
import { createUser, request } from './support/httpClient.ts';
import { type Answer, createNpmClient, type NpmClient } from './support/npmClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';
import { serverOutputOnFailure } from './support/serverOutputOnFailure.ts';
import { createStorage, type TestStorage } from './support/testStorage.ts';

const NAME = 'e2e-audited';
const PASSWORD = 'publisher-password-1';
const credentials = (name: string, password: string): Answer[] => [
  [/Username:\s*$/, name],
  [/Password:\s*$/, password],
];

/** Every raw byte of the audit trail, for looking for secrets. */
async function rawAudit(storage: TestStorage): Promise<string> {
  const opened = storage.open();
  let text = '';
  for await (const { key } of listAll(opened, AUDIT_PREFIX))
    text += (await opened.get(key))?.body.toString('utf8');
  return text;
}

/** `myorg-admin audit --json` on the storage, the real CLI, parsed. */
async function auditCli(storage: TestStorage, args: string[] = []): Promise<RegistryEvent[]> {
  const result = await runAdmin(storage, ['audit', '--storage', storage.url, '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RegistryEvent);
}

/**
 * Every audited action through the real npm CLI against a real server, which is stopped right after
 * the last one: the trail then holds exactly one event per action with who, what, where and how it
 * went, and none of the secrets that passed by.
 */
describe('the audit trail', { timeout: 240_000 }, () => {
  let storage: TestStorage;
  let server: RegistryServer;
  let client: NpmClient;
  let work: string;
  const secrets: string[] = [PASSWORD, 'wrong-password-1', 'auditor-password-1', 'intruder-password-1'];
  serverOutputOnFailure(() => [server]);

  beforeAll(async () => {
    storage = await createStorage();
    server = await startRegistry({ storage, env: { REGISTRY_ADMINS: 'auditor' } });
    client = await createNpmClient(server.url);
    work = await tempDir('audit');
  }, 60_000);

  afterAll(async () => {
    await client?.remove();
    await server?.stop();
    await storage?.remove();
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  const publish = async (version: string) =>
    await client.npm(['publish'], { cwd: await writePackage(work, { name: NAME, version }) });

  it('records each action once, also the last one before a normal stop, and never a secret', async () => {
    // Prepare
    const auditorToken = await createUser(server, 'auditor', 'auditor-password-1');
    const intruderToken = await createUser(server, 'intruder', 'intruder-password-1');
    secrets.push(auditorToken, intruderToken, await createUser(server, 'publisher', PASSWORD));

    // Act
    const refusedLogin = await client.npmInteractive(['login'], credentials('publisher', 'wrong-password-1'));
    await client.npmInteractive(['login'], credentials('publisher', PASSWORD));
    secrets.push((await client.savedToken()) ?? 'no token saved');
    await publish('1.0.0');
    await publish('1.0.1');
    await client.npmOk(['dist-tag', 'add', `${NAME}@1.0.0`, 'beta']);
    await client.npmOk(['dist-tag', 'rm', NAME, 'beta']);
    await client.npmOk(['deprecate', `${NAME}@1.0.0`, 'use 1.0.1']);
    await client.npmOk(['owner', 'add', 'auditor', NAME]);
    await client.npmOk(['unpublish', `${NAME}@1.0.0`]);
    const intruderClient = await createNpmClient(server.url);
    await intruderClient.setToken(intruderToken);
    const refusedPublish = await intruderClient.npm(['publish'], {
      cwd: await writePackage(work, { name: NAME, version: '2.0.0' }),
    });
    await intruderClient.remove();
    const created = await client.npmOk(['token', 'create', `--password=${PASSWORD}`, '--json']);
    const { token } = JSON.parse(created.stdout) as { token: string };
    secrets.push(token);
    const listed = JSON.parse((await client.npmOk(['token', 'list', '--json'])).stdout) as {
      key: string;
      token: string;
    }[];
    const entry = listed.find((candidate) => token.startsWith(candidate.token));
    await client.npmOk(['token', 'revoke', entry?.key ?? 'missing']);
    await client.npmOk(['logout']);
    // The server stops at once: this refusal's event is still buffered, and must be written on the way out.
    const refusedTag = await request(server, `/-/package/${NAME}/dist-tags/latest`, {
      method: 'DELETE',
      token: intruderToken,
    });
    const stopped = await server.stop();
    const events = await auditCli(storage);

    // Assess
    expect(refusedLogin.code).not.toBe(0);
    expect(refusedPublish.code).not.toBe(0);
    expect(refusedTag.status).toBe(403);
    expect(stopped.code).toBe(0);
    const shape = (event: RegistryEvent) =>
      [event.action, event.outcome, event.actor, event.package, event.version, event.tag]
        .map((field) => field ?? '-')
        .join(' ');
    expect(events.map(shape)).toEqual([
      'login ok auditor - - -',
      'login ok intruder - - -',
      'login ok publisher - - -',
      'login failed publisher - - -',
      'login ok publisher - - -',
      `publish ok publisher ${NAME} 1.0.0 -`,
      `publish ok publisher ${NAME} 1.0.1 -`,
      `dist-tag ok publisher ${NAME} 1.0.0 beta`,
      `dist-tag ok publisher ${NAME} - beta`,
      `deprecate ok publisher ${NAME} 1.0.0 -`,
      `owner ok publisher ${NAME} - -`,
      `unpublish ok publisher ${NAME} 1.0.0 -`,
      `publish denied intruder ${NAME} - -`,
      'token-create ok publisher - - -',
      'token-revoke ok publisher - - -',
      'logout ok publisher - - -',
      `dist-tag denied intruder ${NAME} - -`,
    ]);
    for (const event of events) {
      expect(event.address).toBe('127.0.0.1');
      expect(event.requestId).toEqual(expect.any(String));
      expect(Date.parse(event.time)).not.toBeNaN();
    }
    const raw = await rawAudit(storage);
    for (const secret of secrets) expect(raw, 'a secret in the audit trail').not.toContain(secret);
  });

  it('answers GET /-/audit to administrators only, filtered and paged, and records the refusal', async () => {
    // Prepare
    server = await startRegistry({ storage, env: { REGISTRY_ADMINS: 'auditor' } });
    const auditor = await createUser(server, 'auditor', 'auditor-password-1');
    const intruder = await createUser(server, 'intruder', 'intruder-password-1');

    // Act
    const refused = await request(server, '/-/audit', { token: intruder });
    const anonymous = await request(server, '/-/audit');
    const first = await request(server, `/-/audit?package=${NAME}&limit=2`, { token: auditor });
    const { cursor } = first.json as { cursor?: string };
    const second = await request(
      server,
      `/-/audit?package=${NAME}&limit=2&cursor=${encodeURIComponent(cursor ?? '')}`,
      {
        token: auditor,
      },
    );
    const malformed = await request(server, '/-/audit?since=yesterday', { token: auditor });
    await server.stop();
    const denials = await auditCli(storage, ['--user', 'intruder', '--since', '1h']);

    // Assess
    expect(refused.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(malformed.status).toBe(400);
    const versions = [first, second].flatMap(({ json }) =>
      (json as { events: RegistryEvent[] }).events.map((event) => `${event.action} ${event.version ?? '-'}`),
    );
    expect(versions.slice(0, 3)).toEqual(['publish 1.0.0', 'publish 1.0.1', 'dist-tag 1.0.0']);
    expect(new Set(versions).size).toBe(versions.length);
    expect(denials.filter((event) => event.outcome === 'denied').map((event) => event.action)).toEqual([
      'publish',
      'dist-tag',
      'administer',
    ]);
  });
});
