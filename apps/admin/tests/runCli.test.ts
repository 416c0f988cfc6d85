import { AppError } from '@myorg/error';
import { describe, expect, it } from 'vitest';
import { printError, runCli } from '../src/cli/runCli.ts';
import { testIo } from './support/testIo.ts';

describe('runCli', () => {
  it('prints the commands with --help and exits 0', async () => {
    const io = testIo('/');

    const code = await runCli(['--help'], io);

    expect(code).toBe(0);
    for (const command of ['setup', 'npmrc', 'token', 'doctor', 'iam-policy', 'setup-codebuild']) {
      expect(io.out()).toContain(`  ${command} `);
    }
  });

  it('rejects an unknown command with a usage error', async () => {
    const io = testIo('/');

    const code = await runCli(['publish-everything'], io);

    expect(code).toBe(1);
    expect(io.err()).toContain("error: unknown command 'publish-everything'");
  });

  it('refuses an unknown policy audience before reading any config', async () => {
    const io = testIo('/');

    expect(await runCli(['iam-policy', '--for', 'everyone'], io)).toBe(1);
    expect(io.err()).toContain("argument 'everyone' is invalid");
  });

  it('prints an error with its fix, and plain errors without one', () => {
    const io = testIo('/');

    printError(io, new AppError('broken', { details: { fix: 'mend it' } }));
    printError(io, 'just text');

    expect(io.err()).toBe('error: broken\nfix: mend it\nerror: just text\n');
  });
});
