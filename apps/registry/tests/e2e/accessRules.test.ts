import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUserAdd } from './support/adminCli.ts';
import { writePackage } from './support/fixtures.ts';
import { createUser } from './support/httpClient.ts';
import type { CommandResult } from './support/npmClient.ts';
import { useNpmSession } from './support/npmSession.ts';

// The rule file is read once, at start-up, from the path REGISTRY_ACCESS_RULES names.
const rulesDir = mkdtempSync(join(tmpdir(), 'access-rules-'));
const rulesFile = join(rulesDir, 'access.json');
writeFileSync(
  rulesFile,
  JSON.stringify({
    packages: [
      { match: '@e2e/secret-*', read: ['group:security'], publish: ['group:security'] },
      { match: '@e2e/*', read: ['$authenticated'], publish: ['group:platform'] },
    ],
  }),
);

/** What npm printed, both streams: it prints the registry's `error` after the status line. */
const printed = (result: CommandResult) => `${result.stdout}\n${result.stderr}`;

describe('access rules from REGISTRY_ACCESS_RULES, driven by the npm CLI', { timeout: 180_000 }, () => {
  const session = useNpmSession({
    label: 'access-rules',
    server: { access: 'default', env: { REGISTRY_ACCESS_RULES: rulesFile } },
  });
  const tokens: Record<string, string> = {};

  // Each user is one run of the admin CLI (a Node process) and one scrypt login: slow on a busy machine.
  beforeAll(async () => {
    const users = [
      ['pat', ['platform']],
      ['sec', ['security']],
      ['otto', []],
    ] as const;
    await Promise.all(
      users.map(async ([name, groups]) => {
        const password = `${name}-password-1`;
        const created = await adminUserAdd(session.server.storage, name, password, groups);
        expect(created.code, created.stderr).toBe(0);
        tokens[name] = await createUser(session.server, name, password);
      }),
    );
  }, 150_000);

  afterAll(() => {
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it('lets a member of the publishing group npm publish, and refuses another user with the 403 npm prints', async () => {
    // Prepare
    const first = await writePackage(session.work, { name: '@e2e/app', version: '1.0.0' });
    const second = await writePackage(session.work, { name: '@e2e/app', version: '1.0.1' });

    // Act
    await session.client.setToken(tokens.pat);
    const allowed = await session.client.npm(['publish'], { cwd: first });
    await session.client.setToken(tokens.otto);
    const refused = await session.client.npm(['publish'], { cwd: second });
    const view = await session.client.npm(['view', '@e2e/app', 'versions', '--json']);

    // Assess
    expect(allowed.code, printed(allowed)).toBe(0);
    expect(refused.code).not.toBe(0);
    expect(printed(refused)).toMatch(/E403/);
    expect(printed(refused)).toContain('otto may not publish @e2e/app: it needs group:platform');
    expect([JSON.parse(view.stdout)].flat()).toEqual(['1.0.0']);
  });

  it('refuses npm view of a secret package to a user outside its group', async () => {
    // Prepare
    const secret = await writePackage(session.work, { name: '@e2e/secret-keys', version: '1.0.0' });
    await session.client.setToken(tokens.sec);
    await session.client.npmOk(['publish'], { cwd: secret });

    // Act
    const member = await session.client.npm(['view', '@e2e/secret-keys', 'version']);
    await session.client.setToken(tokens.otto);
    const outsider = await session.client.npm(['view', '@e2e/secret-keys']);

    // Assess
    expect(member.stdout.trim()).toBe('1.0.0');
    expect(outsider.code).not.toBe(0);
    expect(printed(outsider)).toMatch(/E403/);
    expect(printed(outsider)).toContain('otto may not read @e2e/secret-keys: it needs group:security');
  });
});
