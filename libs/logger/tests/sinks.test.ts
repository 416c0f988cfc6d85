import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogRecord, memorySink } from '../src/index.ts';
import type { LogSink } from '../src/types.ts';

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
