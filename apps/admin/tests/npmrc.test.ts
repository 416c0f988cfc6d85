import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BLOCK_END, BLOCK_START, mergeManagedBlock, readManagedBlock } from '../src/npmrc/managedBlock.ts';
import { npmrcPath, updateNpmrc } from '../src/npmrc/updateNpmrc.ts';
import { testDir } from './support/testIo.ts';

const registryUrl = 'https://myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/';
const authKey = '//myorg-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/npm-private/:_authToken';
const settings = {
  scope: '@myorg',
  registryUrl,
  mode: 'env' as const,
  tokenEnvVar: 'CODEARTIFACT_AUTH_TOKEN',
};
const now = new Date('2030-01-01T00:00:00Z');
const token = (hours: number, value = 'tok') => ({
  token: value,
  expiration: new Date(now.getTime() + hours * 3_600_000),
});

describe('the managed block', () => {
  it('keeps the other settings and drops lines that set the same keys', () => {
    const existing = `save-exact=true\n@myorg:registry=https://old/\n${authKey}=stale\nfund=false\n`;

    const merged = mergeManagedBlock(existing, [`@myorg:registry=${registryUrl}`, `${authKey}=\${T}`]);

    expect(merged).toBe(
      [
        'save-exact=true',
        'fund=false',
        '',
        BLOCK_START,
        `@myorg:registry=${registryUrl}`,
        `${authKey}=\${T}`,
        BLOCK_END,
        '',
      ].join('\n'),
    );
    expect(mergeManagedBlock(merged, [`@myorg:registry=${registryUrl}`, `${authKey}=\${T}`])).toBe(merged);
  });

  it('records and reads back the expiry of an inline token', () => {
    const text = mergeManagedBlock(undefined, ['a=1'], new Date('2030-01-01T12:00:00Z'));

    expect(readManagedBlock(text)).toEqual({ lines: ['a=1'], expiresAt: new Date('2030-01-01T12:00:00Z') });
    expect(readManagedBlock('a=1\n')).toBeUndefined();
    expect(
      readManagedBlock(`${BLOCK_START}\n# token expires never\n${BLOCK_END}\n`)?.expiresAt,
    ).toBeUndefined();
  });
});

describe('updateNpmrc', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await testDir();
  });

  it('resolves consumer folders and .npmrc files', () => {
    expect(npmrcPath('/repo', 'apps/web')).toBe('/repo/apps/web/.npmrc');
    expect(npmrcPath('/repo', 'ci/.npmrc')).toBe('/repo/ci/.npmrc');
  });

  it(`writes a \${VAR} reference once and then reports the file up to date`, async () => {
    // Prepare
    const file = join(dir, '.npmrc');

    // Act
    const first = await updateNpmrc(file, settings, { dryRun: false });
    const second = await updateNpmrc(file, settings, { dryRun: false });

    // Assess
    expect(first.status).toBe('written');
    expect(second.status).toBe('unchanged');
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`@myorg:registry=${registryUrl}\n`);
    expect(text).toContain(`${authKey}=\${CODEARTIFACT_AUTH_TOKEN}\n`);
    expect(text).not.toContain('always-auth');
  });

  it('writes nothing in a dry run', async () => {
    const file = join(dir, '.npmrc');

    expect((await updateNpmrc(file, settings, { dryRun: true })).status).toBe('would-write');
    await expect(stat(file)).rejects.toThrow('ENOENT');
  });

  it('keeps an inline token that stays valid long enough, and replaces one about to expire', async () => {
    const file = join(dir, '.npmrc');
    const inline = { ...settings, mode: 'inline' as const };
    await updateNpmrc(file, { ...inline, token: token(12, 'first') }, { dryRun: false, now });

    const kept = await updateNpmrc(
      file,
      { ...inline, token: token(12, 'second') },
      { dryRun: false, now, keepTokenValidForMs: 3_600_000 },
    );
    const later = new Date(now.getTime() + 11.5 * 3_600_000);
    const replaced = await updateNpmrc(
      file,
      { ...inline, token: token(12, 'third') },
      { dryRun: false, now: later, keepTokenValidForMs: 3_600_000 },
    );

    expect(kept).toEqual({ status: 'unchanged', detail: `${file}: token still valid for 12h` });
    expect(replaced.status).toBe('written');
    expect(await readFile(file, 'utf8')).toContain(`${authKey}=third\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('tightens the permissions of an existing file that gets an inline token', async () => {
    const file = join(dir, '.npmrc');
    await writeFile(file, 'fund=false\n', { mode: 0o644 });

    await updateNpmrc(file, { ...settings, mode: 'inline', token: token(1) }, { dryRun: false, now });

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^fund=false\n\n# >>> myorg-admin/);
  });

  it('needs a token for the inline form', async () => {
    await expect(
      updateNpmrc(join(dir, '.npmrc'), { ...settings, mode: 'inline' }, { dryRun: false }),
    ).rejects.toThrow('an inline .npmrc needs a token');
  });

  it('names a consumer folder that does not exist', async () => {
    await expect(updateNpmrc(join(dir, 'nowhere/.npmrc'), settings, { dryRun: false })).rejects.toThrow(
      `the consumer folder ${join(dir, 'nowhere')} does not exist`,
    );
  });

  it('passes on read errors other than a missing file', async () => {
    await expect(updateNpmrc(dir, settings, { dryRun: false })).rejects.toThrow('EISDIR');
  });
});
