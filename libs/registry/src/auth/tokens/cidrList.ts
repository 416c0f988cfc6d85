import { BlockList, isIPv4 } from 'node:net';

/**
 * Checks the IPv4 CIDR ranges a token may be used from (npm only sends IPv4). Returns the problems
 * found, or an empty list.
 */
export function cidrListProblems(list: readonly string[]): string[] {
  return list
    .filter((entry) => parseCidr(entry) === undefined)
    .map((entry) => `"${entry}" is not an IPv4 CIDR`);
}

/** A matcher for a checked list: true when `address` (IPv4, or IPv4-mapped IPv6) is inside one of the ranges. */
export function cidrMatcher(list: readonly string[]): (address: string) => boolean {
  const ranges = new BlockList();
  for (const entry of list) {
    const parsed = parseCidr(entry);
    if (parsed) ranges.addSubnet(parsed.network, parsed.prefix, 'ipv4');
  }
  return (address) => {
    // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d.
    const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
    return isIPv4(ipv4) && ranges.check(ipv4, 'ipv4');
  };
}

function parseCidr(entry: string): { network: string; prefix: number } | undefined {
  const [network = '', prefixText, ...rest] = entry.split('/');
  if (rest.length > 0 || !isIPv4(network)) return undefined;
  if (prefixText === undefined) return { network, prefix: 32 };
  if (!/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= 32 ? { network, prefix } : undefined;
}
