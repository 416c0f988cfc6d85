import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { mapConcurrent } from '../src/index.ts';

/** A task that counts how many calls run at once, as a real worker pool would see them. */
function trackedTask() {
  const state = { active: 0, peak: 0, started: [] as number[] };
  const task = async (n: number, index: number) => {
    state.started.push(index);
    state.active++;
    state.peak = Math.max(state.peak, state.active);
    try {
      // Uneven delays make later items finish before earlier ones.
      await sleep(((n * 7) % 5) + 1);
      return n * 10;
    } finally {
      state.active--;
    }
  };
  return { state, task };
}

describe('mapConcurrent', () => {
  it('keeps at most limit calls in flight and returns results in input order', async () => {
    // Prepare
    const { state, task } = trackedTask();
    const items = Array.from({ length: 20 }, (_, i) => i);

    // Act
    const results = await mapConcurrent(items, 3, task);

    // Assess
    expectTypeOf(results).toEqualTypeOf<number[]>();
    expect(results).toEqual(items.map((n) => n * 10));
    expect(state.peak).toBe(3);
    expect(state.active).toBe(0);
  });

  it('runs everything at once with an Infinity limit', async () => {
    // Prepare
    const { state, task } = trackedTask();

    // Act
    await mapConcurrent([1, 2, 3, 4, 5], Number.POSITIVE_INFINITY, task);

    // Assess
    expect(state.peak).toBe(5);
  });

  it('pulls items from a generator only as slots free up', async () => {
    // Prepare
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield i;
      }
    }
    const pulledWhenFirstRan: number[] = [];

    // Act
    const results = await mapConcurrent(source(), 2, async (n) => {
      pulledWhenFirstRan.push(pulled);
      await sleep(1);
      return n;
    });

    // Assess
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pulledWhenFirstRan.slice(0, 2)).toEqual([1, 2]);
  });

  it('resolves with an empty array for no items', async () => {
    await expect(mapConcurrent([], 2, async (n: number) => n)).resolves.toEqual([]);
  });

  it('rejects with the first error and starts no further work', async () => {
    // Prepare
    const failure = new Error('publish of b failed');
    const started: string[] = [];
    // a finishes first and frees a slot for c; b then fails while c is still running.
    const delays: Record<string, number> = { a: 1, b: 5 };

    // Act
    const run = mapConcurrent(['a', 'b', 'c', 'd', 'e'], 2, async (name) => {
      started.push(name);
      await sleep(delays[name] ?? 20);
      if (name === 'b') throw failure;
      return name;
    });

    // Assess
    await expect(run).rejects.toBe(failure);
    await sleep(60);
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('aborts the signal handed to calls still in flight when one fails', async () => {
    // Prepare
    const failure = new Error('boom');
    const seen: AbortSignal[] = [];

    // Act
    const run = mapConcurrent([0, 1], 2, async (n, _index, signal) => {
      seen.push(signal);
      if (n === 1) throw failure;
      await sleep(50, undefined, { signal }).catch(() => undefined);
      return n;
    });

    // Assess
    await expect(run).rejects.toBe(failure);
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[0]?.reason).toBe(failure);
  });

  it('turns a synchronous throw into a rejection', async () => {
    // Prepare
    const failure = new TypeError('bad item');

    // Act
    const run = mapConcurrent([1], 1, () => {
      throw failure;
    });

    // Assess
    await expect(run).rejects.toBe(failure);
  });

  it('rejects when the iterable itself throws', async () => {
    // Prepare
    const failure = new Error('listing failed');
    function* source() {
      yield 1;
      throw failure;
    }

    // Act
    const run = mapConcurrent(source(), 1, async (n) => n);

    // Assess
    await expect(run).rejects.toBe(failure);
  });

  it('closes a generator source when the run fails', async () => {
    // Prepare
    let closed = false;
    function* source() {
      try {
        yield* [1, 2, 3, 4];
      } finally {
        closed = true;
      }
    }

    // Act
    const run = mapConcurrent(source(), 1, async (n) => {
      if (n === 2) throw new Error('stop');
      return n;
    });

    // Assess
    await expect(run).rejects.toThrow('stop');
    expect(closed).toBe(true);
  });

  it('rejects with the signal reason when aborted mid-run', async () => {
    // Prepare
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const started: number[] = [];

    // Act
    const run = mapConcurrent(
      [1, 2, 3, 4],
      1,
      async (n) => {
        started.push(n);
        if (n === 2) controller.abort(reason);
        await sleep(5);
        return n;
      },
      { signal: controller.signal },
    );

    // Assess
    await expect(run).rejects.toBe(reason);
    await sleep(20);
    expect(started).toEqual([1, 2]);
  });

  it('rejects at once with the reason of an already aborted signal', async () => {
    // Prepare
    const reason = new Error('already cancelled');
    let calls = 0;

    // Act
    const run = mapConcurrent([1, 2], 2, async () => calls++, { signal: AbortSignal.abort(reason) });

    // Assess
    await expect(run).rejects.toBe(reason);
    expect(calls).toBe(0);
  });

  it.each([0, -2, 1.5, Number.NaN])('rejects a limit of %s with a RangeError', async (limit) => {
    await expect(mapConcurrent([1], limit, async (n) => n)).rejects.toThrow(RangeError);
  });
});
