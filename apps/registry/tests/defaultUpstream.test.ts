import { networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOwnAddress, npmConfiguredRegistry } from '../src/defaultUpstream.ts';

/** npm on PATH runs `node` from PATH: make it the Node running these tests. */
const path = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;

describe('npmConfiguredRegistry', () => {
  it('reads the registry npm is configured with', async () => {
    // Act
    const registry = await npmConfiguredRegistry({
      ...process.env,
      PATH: path,
      npm_config_registry: 'http://127.0.0.1:9/mirror/',
    });

    // Assess
    expect(registry).toBe('http://127.0.0.1:9/mirror/');
  });

  it('answers undefined when npm cannot be run', async () => {
    expect(await npmConfiguredRegistry({ PATH: '/nonexistent' })).toBeUndefined();
  });
});

describe('isOwnAddress', () => {
  it('recognises this registry by host and port, with loopback names as one host', () => {
    const own = ['http://127.0.0.1:4873/'];
    expect(isOwnAddress('http://localhost:4873/', own)).toBe(true);
    expect(isOwnAddress('http://[::1]:4873/npm/', own)).toBe(true);
    expect(isOwnAddress('http://127.0.0.1:4874/', own)).toBe(false);
    expect(isOwnAddress('http://mirror.test:4873/', own)).toBe(false);
  });

  it('recognises the public URL, with default ports', () => {
    const own = ['http://127.0.0.1:4873/', 'https://npm.example.test/registry'];
    expect(isOwnAddress('https://NPM.example.test/', own)).toBe(true);
    expect(isOwnAddress('http://npm.example.test/', own)).toBe(false);
  });

  it('counts every local address when listening on all interfaces', () => {
    // Prepare
    const own = ['http://0.0.0.0:4873/'];
    const local = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry?.family === 'IPv4');

    // Assess
    expect(isOwnAddress('http://localhost:4873/', own)).toBe(true);
    expect(isOwnAddress(`http://${local!.address}:4873/`, own)).toBe(true);
    expect(isOwnAddress('http://192.0.2.55:4873/', own)).toBe(false);
  });
});
