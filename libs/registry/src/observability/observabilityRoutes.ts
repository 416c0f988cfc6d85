import { createHash, timingSafeEqual } from 'node:crypto';
import { Header } from '@myorg/constants';
import { UnauthorizedError } from '@myorg/error';
import { json, text } from '@myorg/response';
import { parseAuthorization } from '../auth/authorizationHeader.ts';
import { anonymousRoute, type Route } from '../http/types.ts';
import type { HealthCheck } from './HealthCheck.ts';
import { ObservabilityMessages } from './messages.ts';
import type { RegistryMetrics } from './RegistryMetrics.ts';

const NO_STORE = { [Header.CACHE_CONTROL]: 'no-store' };

/**
 * `GET /-/health` and `GET /-/metrics`, open to callers without a registry token like `npm ping`:
 * load balancers and Prometheus have none. The metrics need `metricsToken` (REGISTRY_METRICS_TOKEN)
 * as a Bearer token when one is set.
 */
export function observabilityRoutes(
  health: HealthCheck,
  metrics: RegistryMetrics,
  metricsToken: string | undefined,
): Route[] {
  const expected = metricsToken === undefined ? undefined : digest(metricsToken);
  return [
    anonymousRoute('GET', '/-/health', async (_req, ctx) => {
      const answer = await health.check(ctx.logger);
      return json(answer.status === 'ok' ? 200 : 503, answer, NO_STORE);
    }),
    anonymousRoute('GET', '/-/metrics', async (req) => {
      if (expected !== undefined) {
        const credentials = parseAuthorization(req.headers[Header.AUTHORIZATION]);
        // Compared as digests: equal lengths, so the comparison takes the same time whatever was sent.
        if (credentials?.scheme !== 'bearer' || !timingSafeEqual(digest(credentials.token), expected)) {
          throw new UnauthorizedError(ObservabilityMessages.metricsTokenRequired, {
            headers: { [Header.WWW_AUTHENTICATE]: 'Bearer realm="metrics"' },
          });
        }
      }
      const { body, contentType } = await metrics.scrape();
      return text(200, body, { ...NO_STORE, [Header.CONTENT_TYPE]: contentType });
    }),
  ];
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
