import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurations } from '../../src/observability/RequestDurations.ts';

const config = {
  name: 'request_seconds',
  help: 'Time to answer.',
  buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 2.5],
};

/** Durations on and between the bounds, above them all, and zero. */
const observations: [method: string, route: string, status: string, seconds: number][] = [
  ['GET', '/:pkg', '200', 0.0004],
  ['GET', '/:pkg', '200', 0.001],
  ['PUT', '/:pkg', '201', 0.3],
  ['GET', 'unmatched', '404', 0],
  ['GET', '/:pkg', '200', 0.0251],
  ['PUT', '/:pkg', '201', 7.5],
  ['GET', '/:pkg/-/:file', '304', 2.5],
  ['GET', 'unmatched', '404', 0.1],
];

describe('RequestDurations', () => {
  it('scrapes exactly as a prom-client histogram given the same observations, default labels included', async () => {
    // Prepare
    const ours = new Registry();
    const theirs = new Registry();
    for (const registry of [ours, theirs]) registry.setDefaultLabels({ instance: 'i-1' });
    const durations = new RequestDurations({ ...config, registers: [ours] });
    const histogram = new Histogram({
      ...config,
      labelNames: ['method', 'route', 'status'],
      registers: [theirs],
    });
    const series = new Map<string, ReturnType<RequestDurations['series']>>();

    // Act
    for (const [method, route, status, seconds] of observations) {
      const key = `${method} ${route} ${status}`;
      let one = series.get(key);
      if (one === undefined) {
        one = durations.series(method, route, status);
        series.set(key, one);
      }
      one.observe(seconds);
      histogram.labels(method, route, status).observe(seconds);
    }

    // Assess
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await durations.get()).toEqual(await histogram.get());
  });

  it('scrapes as an unobserved histogram before the first request', async () => {
    // Prepare
    const ours = new Registry();
    const theirs = new Registry();
    new RequestDurations({ ...config, registers: [ours] });
    new Histogram({ ...config, labelNames: ['method', 'route', 'status'], registers: [theirs] });

    // Act
    const scraped = await ours.metrics();

    // Assess
    expect(scraped).toBe(await theirs.metrics());
  });
});
