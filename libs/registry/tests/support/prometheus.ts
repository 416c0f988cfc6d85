import parsePrometheusTextFormat, { type PrometheusSample } from 'parse-prometheus-text-format';

/** A scrape parsed by a Prometheus text-format parser, read by sample name and exact labels. */
export interface Scrape {
  /** The sample named `name` (for a histogram: `<name>_count`, `_sum`, `_bucket`) with exactly `labels`. */
  sample(name: string, labels?: Record<string, string>): PrometheusSample | undefined;
  /** That sample's value as a number; 0 when the series does not exist. */
  value(name: string, labels?: Record<string, string>): number;
  /** Every label set of the samples named `name`. */
  labelSets(name: string): Record<string, string>[];
}

/**
 * Parses `text` with parse-prometheus-text-format. That parser folds every series of a labelled
 * histogram into one (keeping neither labels nor counts), so histograms are read untyped: each
 * `_bucket`, `_sum` and `_count` line is then a sample of that name with its own labels.
 */
export function parseScrape(text: string): Scrape {
  const untyped = text.replace(/^# TYPE \S+ histogram$/gm, '');
  const samples = new Map<string, PrometheusSample[]>();
  for (const family of parsePrometheusTextFormat(untyped)) {
    samples.set(family.name, [...(samples.get(family.name) ?? []), ...family.metrics]);
  }
  const sample = (name: string, labels: Record<string, string> = {}) =>
    samples.get(name)?.find((metric) => sameLabels(metric.labels ?? {}, labels));
  return {
    sample,
    value: (name, labels) => Number(sample(name, labels)?.value ?? 0),
    labelSets: (name) => samples.get(name)?.map((metric) => metric.labels ?? {}) ?? [],
  };
}

function sameLabels(actual: Record<string, string>, expected: Record<string, string>): boolean {
  const keys = Object.keys(actual);
  return keys.length === Object.keys(expected).length && keys.every((key) => actual[key] === expected[key]);
}
