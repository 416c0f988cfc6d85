import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { onTestFinished } from 'vitest';
import type { CliIo } from '../../src/cli/CliIo.ts';

export interface TestIo extends CliIo {
  out(): string;
  err(): string;
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * Output captured in memory, no TTY (one progress line per event), the given environment, and
 * `stdin` as standard input.
 */
export function testIo(cwd: string, env: Record<string, string | undefined> = {}, stdin = ''): TestIo {
  const stdout = collector();
  const stderr = collector();
  return {
    stdin: Readable.from([stdin]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    isTTY: false,
    env,
    cwd,
    out: stdout.text,
    err: stderr.text,
  };
}

/** A fresh directory under the OS temp dir, and its removal. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'myorg-admin-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A fresh directory for the current test (or its beforeEach), removed when the test finishes. */
export async function testDir(): Promise<string> {
  const { dir, remove } = await tempDir();
  onTestFinished(remove);
  return dir;
}
