import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The registry the user's npm is configured with (`npm config get registry`): what `serve`
 * proxies when REGISTRY_UPSTREAM is unset. Undefined when npm cannot be run or prints no URL.
 */
export async function npmConfiguredRegistry(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string | undefined> {
  try {
    // Inside a workspace folder (where `nx serve` runs it) npm would refuse `config` without this.
    const args = ['config', 'get', 'registry', '--workspaces=false'];
    const { stdout } = await run('npm', args, { env, timeout: 15_000 });
    const value = stdout.trim();
    return URL.canParse(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const wildcards = new Set(['0.0.0.0', '[::]', '::']);

/**
 * Whether `upstream` names this very registry: the same port on the same host as one of `own`
 * (the URL it listens on, its public URL). Loopback names count as one host, and a server
 * listening on every interface is reached through any of the machine's addresses, so that a
 * registry never proxies itself (every miss would loop until it timed out).
 */
export function isOwnAddress(upstream: string, own: readonly string[]): boolean {
  const target = endpoint(upstream);
  return own.some((url) => {
    const mine = endpoint(url);
    if (mine.port !== target.port) return false;
    if (mine.host === target.host) return true;
    if (wildcards.has(mine.host)) return target.host === 'loopback' || localAddresses().has(target.host);
    return false;
  });
}

function endpoint(url: string): { host: string; port: string } {
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase();
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return { host: loopbackNames.has(host) ? 'loopback' : host, port };
}

function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? [])
      addresses.add(entry.family === 'IPv6' ? `[${entry.address}]` : entry.address);
  }
  return addresses;
}
