import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/cache/SingleFlight.ts';

describe('SingleFlight', () => {
  it('runs the task once for concurrent callers of one key, and again once it settled', async () => {
    const flights = new SingleFlight<string, number>();
    let runs = 0;
    const task = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return runs;
    };
    const [a, b] = await Promise.all([flights.run('k', task), flights.run('k', task)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(flights.running('k')).toBeUndefined();
    expect(await flights.run('k', task)).toBe(2);
  });

  it('keeps keys apart and forgets a failure', async () => {
    const flights = new SingleFlight<string, string>();
    await expect(flights.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await flights.run('a', async () => 'again')).toBe('again');
    const [x, y] = await Promise.all([flights.run('x', async () => 'x'), flights.run('y', async () => 'y')]);
    expect([x, y]).toEqual(['x', 'y']);
  });
});
