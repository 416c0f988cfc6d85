import { describe, expect, it } from 'vitest';
import { serveCodeArtifact, standInBanner, standInSettings } from '../src/index.ts';

describe('the stand-in mode of the registry server', () => {
  it('reads PORT, HOST, LOG_LEVEL and its own account and region, and lists every bad value', () => {
    expect(standInSettings({})).toEqual({
      port: 4873,
      host: '127.0.0.1',
      account: '000000000000',
      region: 'us-east-1',
      logLevel: 'info',
    });
    expect(
      standInSettings({ PORT: '0', CODEARTIFACT_ACCOUNT: '123456789012', AWS_REGION: 'eu-west-1' }),
    ).toMatchObject({
      port: 0,
      account: '123456789012',
      region: 'eu-west-1',
    });
    expect(() => standInSettings({ PORT: '70000', CODEARTIFACT_ACCOUNT: '12', LOG_LEVEL: 'loud' })).toThrow(
      'invalid CodeArtifact stand-in configuration: PORT: must be a port number; CODEARTIFACT_ACCOUNT: must be 12 digits; LOG_LEVEL: must be debug, info, warn, error or silent',
    );
  });

  it('listens on loopback and prints how to point the admin CLI at it', async () => {
    const running = await serveCodeArtifact({
      PORT: '0',
      LOG_LEVEL: 'silent',
      CODEARTIFACT_REGION: 'ap-south-1',
    });
    try {
      expect(running.banner.split('\n')[0]).toBe(`CodeArtifact stand-in listening on ${running.url}/`);
      expect(running.banner).toContain(`AWS_ENDPOINT_URL=${running.url} `);
      expect(running.banner).toBe(standInBanner(running.url, '000000000000', 'ap-south-1'));
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await running.close();
    }
  });
});
