import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.ts';
import { streamSink } from '../src/streamSink.ts';
import type { LogRecord } from '../src/types.ts';

const record = (msg: string): LogRecord => ({ level: 'info', time: new Date().toISOString(), msg });

/** A real Writable that holds every chunk until `release` is called, so backpressure is real. */
function slowStream(highWaterMark: number) {
  const chunks: string[] = [];
  const pending: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      chunks.push(chunk);
      pending.push(callback);
    },
  });
  const release = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const lines = () => chunks.filter((chunk) => chunk !== '').map((chunk) => JSON.parse(chunk) as LogRecord);
  return { stream, release, lines };
}

/** A streamSink over a slowStream, with `count` lines written to it at once and then drained. */
async function drainedBurst(count: number, maxQueuedLines: number) {
  const slow = slowStream(1);
  const sink = streamSink(slow.stream, { maxQueuedLines });
  for (let i = 0; i < count; i += 1) sink.write(record(`line ${i}`));
  const flushed = sink.flush();
  await slow.release();
  await flushed;
  return { ...slow, sink };
}

describe('streamSink', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logger-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON object per line to a file', async () => {
    // Prepare
    const path = join(dir, 'app.log');
    const file = createWriteStream(path);
    const sink = streamSink(file);
    const logger = createLogger({ sink, context: { service: 'registry' } });

    // Act
    logger.info('first', { text: 'has\nnewline' });
    logger.warn('second');
    await sink.flush();
    file.end();
    await once(file, 'close');

    // Assess
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'first',
      service: 'registry',
      text: 'has\nnewline',
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warn', msg: 'second' });
  });

  it('queues lines under backpressure without blocking and writes them in order once drained', async () => {
    // Prepare
    const { stream, release, lines } = slowStream(1);
    const sink = streamSink(stream, { maxQueuedLines: 10 });

    // Act
    for (let i = 0; i < 5; i += 1) sink.write(record(`line ${i}`));
    const writtenBeforeDrain = lines().length;
    const flushed = sink.flush();
    await release();
    await flushed;

    // Assess
    expect(writtenBeforeDrain).toBe(1);
    expect(lines().map((r) => r.msg)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(sink.dropped).toBe(0);
  });

  it('drops lines beyond its queue and reports how many in a later line', async () => {
    // Prepare
    const { sink, release, lines } = await drainedBurst(10, 2);

    // Act
    sink.write(record('after'));
    await release();

    // Assess
    expect(sink.dropped).toBe(7);
    expect(lines().map((r) => r.msg)).toEqual([
      'line 0',
      'line 1',
      'line 2',
      'log lines dropped: the output stream could not keep up',
      'after',
    ]);
    expect(lines()[3]).toMatchObject({ level: 'warn', dropped: 7 });
  });

  it('goes back to waiting when the stream fills up again while draining', async () => {
    // Act
    const { lines } = await drainedBurst(6, 3);

    // Assess
    expect(lines().map((r) => r.msg)).toEqual([
      'line 0',
      'line 1',
      'line 2',
      'line 3',
      'log lines dropped: the output stream could not keep up',
    ]);
  });

  it('stops writing after a stream error instead of crashing, and counts what it loses', async () => {
    // Prepare
    const broken = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        setImmediate(() => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
      },
    });
    const sink = streamSink(broken, { maxQueuedLines: 5 });

    // Act
    sink.write(record('lost in the pipe'));
    sink.write(record('queued'));
    await once(broken, 'error');
    sink.write(record('after the error'));
    await sink.flush();

    // Assess
    expect(sink.dropped).toBe(2);
  });

  it('stops writing when the stream throws on write', () => {
    // Prepare
    const closed = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    closed.write = () => {
      throw new Error('write after end');
    };
    const sink = streamSink(closed);

    // Act
    sink.write(record('first'));
    sink.write(record('second'));

    // Assess
    expect(sink.dropped).toBe(1);
  });

  it('still writes a line for a record JSON cannot take', async () => {
    // Prepare
    const { stream, release, lines } = slowStream(1024);
    const sink = streamSink(stream);

    // Act
    sink.write({ ...record('raw bigint'), size: 1n });
    await release();

    // Assess
    expect(lines()[0]).toMatchObject({ msg: 'raw bigint', logError: expect.stringContaining('BigInt') });
  });
});
