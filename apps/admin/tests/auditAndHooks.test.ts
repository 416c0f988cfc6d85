import { AUDIT_PREFIX, readHooks, recentDeliveries } from '@myorg/registry';
import { FileSystemStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/runCli.ts';
import { testDir, testIo } from './support/testIo.ts';

describe('myorg-admin audit', () => {
  it('prints the trail oldest first, filtered, as lines or JSON', async () => {
    // Prepare
    const dir = await testDir();
    // One batch as the registry's audit log writes it (libs/registry tests the writer).
    const events = [
      { time: '2026-12-06T10:00:00.000Z', action: 'login', outcome: 'ok', actor: 'alice' },
      {
        time: '2026-12-06T10:01:00.000Z',
        action: 'dist-tag',
        outcome: 'ok',
        actor: 'alice',
        package: 'a',
        tag: 'beta',
        version: '1.0.0',
        address: '10.0.0.1',
      },
      { time: '2026-12-06T10:02:00.000Z', action: 'publish', outcome: 'denied', actor: 'bob', package: 'a' },
    ];
    await new FileSystemStorage(dir).put(
      `${AUDIT_PREFIX}2026-12-06/20261206T100300000Z-0123abcd.jsonl`,
      events.map((event) => JSON.stringify(event)).join('\n'),
    );
    const lines = testIo(dir);
    const json = testIo(dir, { REGISTRY_STORAGE: dir });

    // Act
    const linesCode = await runCli(['audit', '--storage', dir, '--package', 'a', '--limit', '1'], lines);
    const jsonCode = await runCli(['audit', '--json', '--user', 'bob'], json);
    const badLimit = await runCli(['audit', '--storage', dir, '--limit', '0'], testIo(dir));

    // Assess
    expect([linesCode, jsonCode]).toEqual([0, 0]);
    expect(lines.out()).toBe('2026-12-06T10:01:00.000Z  dist-tag  ok  alice  a beta@1.0.0  10.0.0.1\n');
    expect(JSON.parse(json.out())).toMatchObject({ action: 'publish', outcome: 'denied', actor: 'bob' });
    expect(badLimit).not.toBe(0);
  });
});

describe('myorg-admin hooks', () => {
  it('adds, lists (without secrets) and removes webhooks in the storage', async () => {
    // Prepare
    const dir = await testDir();
    const storage = new FileSystemStorage(dir);
    const added = testIo(dir);
    const withSecret = testIo(dir, {}, 'my-own-secret\n');

    // Act
    const addCode = await runCli(
      ['hooks', 'add', '@myorg', 'https://ci.example/hook', '--storage', dir],
      added,
    );
    await runCli(
      ['hooks', 'add', 'one-package', 'https://ci.example/other', '--storage', dir, '--secret-stdin'],
      withSecret,
    );
    const { hooks } = await readHooks(storage);
    const listed = testIo(dir);
    await runCli(['hooks', 'ls', '--storage', dir], listed);
    const listedJson = testIo(dir);
    await runCli(['hooks', 'ls', '--storage', dir, '--json'], listedJson);
    const badUrl = testIo(dir);
    const badUrlCode = await runCli(['hooks', 'add', '*', 'ftp://x', '--storage', dir], badUrl);
    const removed = testIo(dir);
    await runCli(['hooks', 'rm', hooks[0]?.id ?? '', '--storage', dir], removed);
    await runCli(['hooks', 'rm', hooks[1]?.id ?? '', '--storage', dir], testIo(dir));
    const empty = testIo(dir);
    await runCli(['hooks', 'ls', '--storage', dir], empty);

    // Assess
    expect(addCode).toBe(0);
    expect(hooks.map((hook) => hook.target)).toEqual(['@myorg', 'one-package']);
    expect(added.out()).toContain(
      `secret (shown once; verify X-Registry-Signature-256 with it): ${hooks[0]?.secret}`,
    );
    expect(withSecret.out()).not.toContain('my-own-secret');
    expect(hooks[1]?.secret).toBe('my-own-secret');
    for (const output of [listed.out(), listedJson.out()]) {
      expect(output).toContain('https://ci.example/hook');
      for (const hook of hooks) expect(output).not.toContain(hook.secret);
    }
    expect(badUrlCode).toBe(1);
    expect(badUrl.err()).toMatch(/http:\/\/ or https:\/\//);
    expect(removed.out()).toBe(`removed webhook ${hooks[0]?.id}\n`);
    expect(empty.out()).toMatch(/no webhooks/);
    expect(await recentDeliveries(storage, hooks[0]?.id ?? '')).toEqual([]);
  });
});
