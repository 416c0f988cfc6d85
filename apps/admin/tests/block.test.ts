import { BlockList } from '@myorg/registry';
import { FileSystemStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/runCli.ts';
import { testDir, testIo } from './support/testIo.ts';

describe('myorg-admin block', () => {
  it('adds, lists and removes blocks in the registry storage, as the registry reads them', async () => {
    // Prepare
    const dir = await testDir();
    const io = testIo(dir, { USER: 'ops' });

    // Act
    const added = await runCli(
      ['block', 'add', 'left-pad@1.3.1', '--reason', 'CVE-2026-0001', '--storage', dir],
      io,
    );
    const whole = await runCli(['block', 'add', '@scope/evil', '--reason', 'malware', '--storage', dir], io);
    const listed = await runCli(['block', 'ls', '--storage', dir], io);
    const stored = await new BlockList(new FileSystemStorage(dir)).all();
    const removed = await runCli(['block', 'rm', 'left-pad@1.3.1', '--storage', dir], io);
    const left = await new BlockList(new FileSystemStorage(dir)).all();

    // Assess
    expect([added, whole, listed, removed]).toEqual([0, 0, 0, 0]);
    expect(stored).toMatchObject([
      { name: 'left-pad', range: '1.3.1', reason: 'CVE-2026-0001', createdBy: 'ops' },
      { name: '@scope/evil', range: '*', reason: 'malware' },
    ]);
    expect(io.out()).toMatch(/left-pad@1\.3\.1 {2}CVE-2026-0001 {2}\(.* by ops\)/);
    expect(io.out()).toMatch(/removed the block left-pad@1\.3\.1/);
    expect(left.map((entry) => entry.name)).toEqual(['@scope/evil']);
  });

  it('refuses a tag, a block that exists and the removal of one that does not, saying why', async () => {
    // Prepare
    const dir = await testDir();
    const io = testIo(dir);
    await runCli(['block', 'add', 'pkg@^1.0.0', '--reason', 'broken', '--storage', dir], io);

    // Act
    const tag = await runCli(['block', 'add', 'pkg@latest', '--reason', 'x', '--storage', dir], io);
    const twice = await runCli(['block', 'add', 'pkg@^1.0.0', '--reason', 'again', '--storage', dir], io);
    const missing = await runCli(['block', 'rm', 'other', '--storage', dir], io);

    // Assess
    expect([tag, twice, missing]).toEqual([1, 1, 1]);
    expect(io.err()).toContain('a dist-tag cannot be blocked');
    expect(io.err()).toContain('pkg@^1.0.0 is blocked already');
    expect(io.err()).toContain('nothing blocks other');
  });
});
