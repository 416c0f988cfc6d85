import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const streamSinkModule = fileURLToPath(new URL('../src/streamSink.ts', import.meta.url));

/** Runs a script against this package in a fresh Node process and collects its stdout lines. */
async function runScript(script: string, env: Record<string, string> = {}): Promise<string[]> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@myorg/source',
      '--input-type=module',
      '--eval',
      `const m = await import(${JSON.stringify(entry)});\n${script}`,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`script exited with ${code}: ${stderr}`);
  return stdout.split('\n').filter((line) => line !== '');
}

describe('the default sink', () => {
  it('writes JSON lines to stdout at the LOG_LEVEL of the environment', async () => {
    // Act
    const lines = await runScript(
      `const log = m.createLogger({ context: { pid: 1 } });
       log.debug('hidden'); log.warn('shown', { token: 'abc' });`,
      { LOG_LEVEL: 'warn' },
    );

    // Assess
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { level: 'warn', time: expect.any(String), msg: 'shown', pid: 1, token: '[REDACTED]' },
    ]);
  });

  it('loses no line to a pipe that is slower than a burst within its queue bound', async () => {
    // Act
    const lines = await runScript(
      `const log = m.createLogger({ level: 'info' });
       for (let i = 0; i < 5000; i++) log.info('line', { i, pad: 'x'.repeat(200) });`,
    );

    // Assess
    expect(lines.map((line) => JSON.parse(line).i)).toEqual([...Array(5000).keys()]);
  });

  it('accounts for every line of a burst beyond its queue bound: written in order or counted as dropped', async () => {
    // Act
    const records = (
      await runScript(
        `const { streamSink } = await import(${JSON.stringify(streamSinkModule)});
         const log = m.createLogger({ sink: streamSink(process.stdout, { maxQueuedLines: 50 }) });
         for (let i = 0; i < 5000; i++) log.info('line', { i, pad: 'x'.repeat(200) });`,
      )
    ).map((line) => JSON.parse(line) as { i?: number; dropped?: number });

    // Assess
    const written = records.filter((record) => record.i !== undefined).map((record) => record.i!);
    const dropped = records.reduce((sum, record) => sum + (record.dropped ?? 0), 0);
    expect(written.length + dropped).toBe(5000);
    expect(written).toEqual([...written].sort((a, b) => a - b));
  });
});
