import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemStorage, listAll } from '../src/index.ts';
import { crashContent, parseCrashHeader } from './fixtures/crashContent.ts';

const writerScript = fileURLToPath(new URL('./fixtures/crashWriter.ts', import.meta.url));

/** Runs the writer fixture under the Node running the tests, resolving workspace packages to their sources. */
function runWriter(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@myorg/source', '--disable-warning=ExperimentalWarning', writerScript, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function outputLines(child: ChildProcess, onLine: (line: string) => void): Promise<number | null> {
  let pending = '';
  let errors = '';
  child.stdout?.setEncoding('utf8').on('data', (data: string) => {
    const lines = (pending + data).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr?.setEncoding('utf8').on('data', (data: string) => {
    errors += data;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(code);
      else reject(new Error(`writer exited with ${code ?? signal}: ${errors}`));
    });
  });
}

async function temporaryFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && entry.name.startsWith('.~')).map((entry) => entry.name);
}

describe('FileSystemStorage under crashes and across processes', () => {
  let dir: string;
  let children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'storage-crash-'));
  });

  afterEach(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children = [];
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every object complete and acknowledged writes in place when the writer is killed mid-write', async () => {
    const storage = new FileSystemStorage(dir);
    const acknowledged = new Map<string, number>();
    for (let round = 1; round <= 4; round++) {
      // Prepare: a writer churning large objects, killed at a random moment after a few writes.
      const child = runWriter(['churn', dir, String(round)]);
      children.push(child);
      let done = 0;
      const exited = outputLines(child, (line) => {
        const [, writer = '', iteration = ''] = line.split(' ');
        if (writer.startsWith('solo')) acknowledged.set(writer, Number(iteration));
        done++;
      });
      // A writer that dies on its own ends the wait too; awaiting `exited` then reports its stderr.
      while (done < 3 && child.exitCode === null) await sleep(5);
      await sleep(Math.random() * 250);

      // Act
      child.kill('SIGKILL');
      await exited;

      // Assess: each object is one whole write; a solo key holds its last acknowledged write or a later one.
      const objects = [];
      for await (const info of listAll(storage)) objects.push(info.key);
      expect(objects).toEqual(['deep/folder/solo-b.bin', 'shared.bin', 'solo/a.bin']);
      for (const key of objects) {
        const stored = await storage.get(key);
        const { writer, iteration } = parseCrashHeader(stored!.body);
        expect(
          stored!.body.equals(crashContent(writer, iteration)),
          `${key} holds ${writer}:${iteration}`,
        ).toBe(true);
        expect(stored!.size).toBe(stored!.body.length);
        if (writer.startsWith('solo'))
          expect(iteration).toBeGreaterThanOrEqual(acknowledged.get(writer) ?? 0);
        else expect(['shared-1', 'shared-2']).toContain(writer);
      }
    }
    // The kills leave nothing behind but temporary files, and the sweep takes them all.
    await storage.sweepTemporaryFiles(0);
    expect(await temporaryFiles(dir)).toEqual([]);
  }, 60_000);

  it('lets exactly one process win a create raced by several processes', async () => {
    // Prepare: every process starts its write at the same moment, with a body large enough to overlap.
    const startAt = Date.now() + 1500;
    const results: string[] = [];
    const exits = Array.from({ length: 6 }, () => {
      const child = runWriter(['create', dir, String(startAt)]);
      children.push(child);
      return outputLines(child, (line) => results.push(line));
    });

    // Act
    await Promise.all(exits);

    // Assess
    expect(results.filter((line) => line === 'won')).toHaveLength(1);
    expect(results.filter((line) => line === 'lost EPRECONDITION')).toHaveLength(5);
    const stored = await new FileSystemStorage(dir).get('race.bin');
    const { writer, iteration } = parseCrashHeader(stored!.body);
    expect(stored!.body.equals(crashContent(writer, iteration))).toBe(true);
    expect(await temporaryFiles(dir)).toEqual([]);
  }, 30_000);
});
