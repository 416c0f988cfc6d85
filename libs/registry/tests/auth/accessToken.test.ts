import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateToken,
  hashToken,
  isTokenShaped,
  maskToken,
  TOKEN_PREFIX,
} from '../../src/auth/tokens/accessToken.ts';

describe('access tokens', () => {
  it('are prefixed, carry 32 random bytes and differ every time', () => {
    // Act
    const tokens = new Set(Array.from({ length: 100 }, generateToken));

    // Assess
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
      expect(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
      expect(isTokenShaped(token)).toBe(true);
    }
  });

  it('are stored as their SHA-256 in hex', () => {
    // Prepare
    const token = generateToken();

    // Act
    const hash = hashToken(token);

    // Assess
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).not.toContain(token.slice(TOKEN_PREFIX.length));
  });

  it('do not accept values of another shape', () => {
    // Prepare
    const token = generateToken();

    // Act + Assess
    expect(isTokenShaped(token.slice(0, -1))).toBe(false);
    expect(isTokenShaped(`${token}x`)).toBe(false);
    expect(isTokenShaped(token.replace(TOKEN_PREFIX, 'npm_'))).toBe(false);
    expect(isTokenShaped(`${token.slice(0, -1)}=`)).toBe(false);
  });

  it('are masked to a short true prefix, as npm token revoke expects', () => {
    // Prepare
    const token = generateToken();

    // Act
    const masked = maskToken(token);

    // Assess
    expect(token.startsWith(masked)).toBe(true);
    expect(masked).toHaveLength(TOKEN_PREFIX.length + 6);
  });
});
