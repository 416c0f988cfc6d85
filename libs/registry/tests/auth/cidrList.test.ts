import { describe, expect, it } from 'vitest';
import { cidrListProblems, cidrMatcher } from '../../src/auth/tokens/cidrList.ts';

describe('CIDR whitelists', () => {
  it('accept IPv4 ranges and single addresses', () => {
    expect(cidrListProblems(['10.0.0.0/8', '192.168.1.7/32', '127.0.0.1', '0.0.0.0/0'])).toEqual([]);
  });

  it('name every entry that is not an IPv4 range', () => {
    expect(
      cidrListProblems(['10.0.0.0/33', '::1/128', '10.0.0.0/8/1', 'x', '10.0.0.0/ 8', '10.0.0.0/8']),
    ).toEqual([
      '"10.0.0.0/33" is not an IPv4 CIDR',
      '"::1/128" is not an IPv4 CIDR',
      '"10.0.0.0/8/1" is not an IPv4 CIDR',
      '"x" is not an IPv4 CIDR',
      '"10.0.0.0/ 8" is not an IPv4 CIDR',
    ]);
  });

  it('match addresses inside the ranges, also as IPv4-mapped IPv6', () => {
    // Prepare
    const allows = cidrMatcher(['10.1.0.0/16', '127.0.0.1']);

    // Act + Assess
    expect(allows('10.1.200.3')).toBe(true);
    expect(allows('::ffff:10.1.0.1')).toBe(true);
    expect(allows('127.0.0.1')).toBe(true);
    expect(allows('10.2.0.1')).toBe(false);
    expect(allows('127.0.0.2')).toBe(false);
    expect(allows('::1')).toBe(false);
  });
});
