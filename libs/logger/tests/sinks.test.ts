import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogRecord, type LogSink, memorySink, multiSink } from '../src/index.ts';

const record = (msg: string): LogRecord => ({ level: 'info', time: new Date().toISOString(), msg });

/** A new one per test: each failing sink is reported once, so tests must not share one. */
const throwingSink = (): LogSink => ({
  write() {
    throw new Error('disk full');
  },
});

describe('memorySink', () => {
  it('keeps records as they would read back from JSON and can be cleared', () => {
    // Prepare
    const sink = memorySink();

    // Act
    sink.write({ ...record('one'), missing: undefined });
    const kept = [...sink.records];
    sink.clear();

    // Assess
    expect(kept).toHaveLength(1);
    expect(kept[0]).not.toHaveProperty('missing');
    expect(sink.records).toEqual([]);
  });
});

describe('multiSink', () => {
  it('writes every record to each sink', () => {
    // Prepare
    const first = memorySink();
    const second = memorySink();

    // Act
    createLogger({ sink: multiSink(first, second) }).info('both');

    // Assess
    expect(first.records.map((r) => r.msg)).toEqual(['both']);
    expect(second.records.map((r) => r.msg)).toEqual(['both']);
  });

  it('keeps writing to the other sinks when one throws', () => {
    // Prepare
    const survivor = memorySink();

    // Act
    const sink = multiSink(throwingSink(), survivor);
    sink.write(record('still here'));

    // Assess
    expect(survivor.records.map((r) => r.msg)).toEqual(['still here']);
  });

  it('flushes every sink that can be flushed, even when one flush fails', async () => {
    // Prepare
    const flushed: string[] = [];
    const sink = multiSink(
      memorySink(),
      { write() {}, flush: async () => void flushed.push('a') },
      { write() {}, flush: () => Promise.reject(new Error('gone')) },
    );

    // Act
    await sink.flush();

    // Assess
    expect(flushed).toEqual(['a']);
  });
});

describe('a sink that throws', () => {
  it('does not break the caller and is reported once as a process warning', async () => {
    // Prepare
    const logger = createLogger({ sink: throwingSink() });
    const warning = once(process, 'warning');

    // Act
    logger.info('first');
    logger.error('second');

    // Assess
    const [emitted] = (await warning) as [Error & { code?: string }];
    expect(emitted.code).toBe('LOG_SINK_FAILED');
    expect(emitted.message).toContain('disk full');
  });
});
