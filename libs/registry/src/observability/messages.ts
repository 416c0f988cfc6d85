/** What the health and metrics endpoints tell their callers (monitoring systems and the people reading them). */
export const ObservabilityMessages = {
  metricsTokenRequired:
    'the metrics of this registry need its metrics token (REGISTRY_METRICS_TOKEN): send it as `Authorization: Bearer <token>`',
  storageTimedOut: (timeoutMs: number) => `storage did not answer within ${timeoutMs} ms`,
  /** `code` only (ENOENT, ECONNREFUSED, NoSuchBucket...): an error's message may name paths or buckets. */
  storageFailed: (code: string) => `storage failed (${code})`,
};
