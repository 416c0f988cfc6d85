import { Histogram, type Registry } from 'prom-client';

export type RequestLabel = 'method' | 'route' | 'status';
type Labels = Record<RequestLabel, string>;

/** One series' counts: per bucket (not cumulative), their sum and how many. */
export class DurationSeries {
  readonly labels: Labels;
  readonly #bounds: readonly number[];
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;

  constructor(labels: Labels, bounds: readonly number[]) {
    this.labels = labels;
    this.#bounds = bounds;
    this.buckets = new Float64Array(bounds.length);
  }

  /** As prom-client's `observe`: the first bucket the value fits counts it; above them all, only the count does. */
  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    const bounds = this.#bounds;
    for (let i = 0; i < bounds.length; i += 1) {
      if (seconds <= (bounds[i] as number)) {
        this.buckets[i] = (this.buckets[i] as number) + 1;
        return;
      }
    }
  }
}

interface ExportedValue {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels: Labels;
  metricName: string;
  exemplar: null | undefined;
}

interface DurationsConfig {
  name: string;
  help: string;
  /** Upper bounds in seconds, ascending. */
  buckets: number[];
  registers: Registry[];
}

/**
 * A prom-client histogram whose series are counted in plain arrays: prom-client's own `observe`
 * converts, validates and hashes the labels on every call, even for a series resolved once. A scrape
 * exports exactly what prom-client's histogram would (same series order, lines and sums), so the
 * registry formats it the same way.
 */
export class RequestDurations extends Histogram<RequestLabel> {
  readonly #config: DurationsConfig;
  /** In order of their first request, as prom-client lists series. */
  readonly #series: DurationSeries[] = [];

  constructor(config: DurationsConfig) {
    super({ ...config, labelNames: ['method', 'route', 'status'] });
    this.#config = config;
  }

  /** A new series, counted from now on; the caller keeps it and asks once per label set. */
  series(method: string, route: string, status: string): DurationSeries {
    const series = new DurationSeries({ method, route, status }, this.#config.buckets);
    this.#series.push(series);
    return series;
  }

  /** What prom-client's registry formats (`Histogram.getForPromString`'s shape). */
  async getForPromString() {
    const { name, help, buckets } = this.#config;
    const values: ExportedValue[] = [];
    const value = (
      labels: ExportedValue['labels'],
      count: number,
      suffix: string,
      series: DurationSeries,
      exemplar: null | undefined,
    ) => ({ labels, sharedLabels: series.labels, value: count, metricName: `${name}${suffix}`, exemplar });
    for (const series of this.#series) {
      let cumulative = 0;
      buckets.forEach((le, i) => {
        cumulative += series.buckets[i] as number;
        values.push(value({ le }, cumulative, '_bucket', series, null));
      });
      values.push(
        value({ le: '+Inf' }, series.count, '_bucket', series, null),
        value({}, series.sum, '_sum', series, undefined),
        value({}, series.count, '_count', series, undefined),
      );
    }
    return { name, help, type: 'histogram' as const, values, aggregator: 'sum' as const };
  }

  /** As prom-client's `get`: each value's labels with the series' own merged in. */
  override async get(): ReturnType<Histogram<RequestLabel>['get']> {
    const data = await this.getForPromString();
    const values = data.values.map(({ sharedLabels, labels, ...value }) => ({
      ...value,
      labels: { ...labels, ...sharedLabels },
    }));
    // prom-client's own `get` has no `collect` in its answer either, whatever its types say.
    return { ...data, values } as unknown as Awaited<ReturnType<Histogram<RequestLabel>['get']>>;
  }
}
