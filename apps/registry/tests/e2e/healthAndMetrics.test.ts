import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScrape } from '../../../../libs/registry/tests/support/prometheus.ts';
import { writePackage } from './support/fixtures.ts';
import { request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import { workspaceRoot } from './support/registryServer.ts';

const METRICS_TOKEN = 'e2e-scrape-token';

/** The server process as deployed: REGISTRY_METRICS_TOKEN from its environment, publishes by the npm CLI. */
describe('health and metrics of the registry process', { timeout: 120_000 }, () => {
  const session = useNpmSession({
    label: 'metrics',
    user: 'publisher',
    server: { env: { REGISTRY_METRICS_TOKEN: METRICS_TOKEN } },
  });

  it('counts what the npm CLI did, behind REGISTRY_METRICS_TOKEN, and reports itself healthy', async () => {
    // Prepare
    const name = '@e2e/metered';
    const { version } = JSON.parse(
      await readFile(join(workspaceRoot, 'libs/registry/package.json'), 'utf8'),
    ) as { version: string };

    // Act
    for (const next of ['1.0.0', '1.0.1']) {
      const dir = await writePackage(session.work, { name, version: next });
      await session.client.npmOk(['publish'], { cwd: dir });
    }
    await session.client.npmOk(['view', name, 'versions', '--json']);
    const refused = await request(session.server, '/-/metrics');
    const scraped = await request(session.server, '/-/metrics', { token: METRICS_TOKEN });
    const health = await request(session.server, '/-/health');

    // Assess
    expect(refused.status).toBe(401);
    expect(scraped.status).toBe(200);
    const metrics = parseScrape(scraped.text);
    expect(metrics.value('registry_publishes_total')).toBe(2);
    expect(
      metrics.value('registry_http_request_duration_seconds_count', {
        method: 'PUT',
        route: '/:pkg',
        status: '201',
      }),
    ).toBe(2);
    expect(
      metrics.value('registry_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/:pkg',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', version, storage: { status: 'ok' } });
    expect(health.text).not.toContain(session.server.storage.url);
  });
});
