import { BadGatewayError, UnauthorizedError } from '@myorg/error';
import { z } from '@myorg/validation';
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { TrustedPublishingMessages as Text } from './messages.ts';

/** The claims of a GitHub Actions id-token that trusted publishing reads. */
const actionsClaims = z.object({
  /** `owner/repo`. */
  repository: z.string().min(1),
  /** `owner/repo/.github/workflows/release.yml@refs/heads/main`: the workflow the run started from. */
  workflow_ref: z.string().min(1),
  /** The job's deployment environment, when it has one. */
  environment: z.string().min(1).optional(),
});

export type ActionsClaims = z.output<typeof actionsClaims>;

export interface IdTokenVerifierOptions {
  /** REGISTRY_OIDC_ISSUER, without a trailing slash: GitHub.com's, or `https://<ghes>/_services/token`. */
  issuer: string;
  /** Slack for `exp`, `nbf` and `iat` against this registry's clock. Default 30 s. */
  clockToleranceSeconds?: number;
  /** Limit for reading the discovery document and the key set. Default 5 s. */
  timeoutMs?: number;
}

/** GitHub signs with RS256; ES256 is the other algorithm OIDC providers commonly use. */
const ALGORITHMS = ['RS256', 'ES256'];
/** How long a failed discovery is answered from memory before the issuer is asked again. */
const DISCOVERY_RETRY_MS = 5000;
/** A discovery document is a few hundred bytes; one larger than this is not the issuer's. */
const MAX_DISCOVERY_BYTES = 64 * 1024;

/**
 * Verifies OIDC id-tokens of one issuer: its keys are found as OpenID Connect Discovery 1.0 says
 * (`<issuer>/.well-known/openid-configuration` → `jwks_uri`) and kept by jose's remote key set,
 * which fetches them again only for a key id it does not know (at most every 30 s), so a request
 * costs no network call once the keys are known.
 */
export class IdTokenVerifier {
  readonly #issuer: string;
  readonly #clockTolerance: number;
  readonly #timeoutMs: number;
  #keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(options: IdTokenVerifierOptions) {
    this.#issuer = options.issuer;
    this.#clockTolerance = options.clockToleranceSeconds ?? 30;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * The token's GitHub Actions claims once its signature, issuer, audience and times check out;
   * otherwise a 401 that says which check failed (502 when the issuer's keys cannot be read).
   */
  async verify(idToken: string, audience: string): Promise<ActionsClaims> {
    const keys = await this.#keySet();
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: this.#issuer,
        audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.#clockTolerance,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw this.#refusal(error, audience);
    }
    const claims = actionsClaims.safeParse(payload);
    if (!claims.success) throw new UnauthorizedError(Text.notAnActionsToken);
    return claims.data;
  }

  #keySet(): Promise<JWTVerifyGetKey> {
    this.#keys ??= this.#discover().catch((error: unknown) => {
      // Kept for a few seconds, so a burst of exchanges while the issuer is down costs one request;
      // the next exchange after that asks again.
      setTimeout(() => {
        this.#keys = undefined;
      }, DISCOVERY_RETRY_MS).unref();
      throw new BadGatewayError(Text.issuerUnavailable(this.#issuer), { cause: error });
    });
    return this.#keys;
  }

  async #discover(): Promise<JWTVerifyGetKey> {
    const response = await fetch(`${this.#issuer}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (!response.ok) throw new Error(`discovery document: HTTP ${response.status}`);
    const document = JSON.parse(await boundedText(response, MAX_DISCOVERY_BYTES)) as {
      issuer?: unknown;
      jwks_uri?: unknown;
    };
    // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
    if (document.issuer !== this.#issuer)
      throw new Error(`discovery document names issuer ${document.issuer}`);
    if (typeof document.jwks_uri !== 'string') throw new Error('discovery document has no jwks_uri');
    return createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: this.#timeoutMs });
  }

  #refusal(error: unknown, audience: string): Error {
    if (error instanceof errors.JWTExpired) return new UnauthorizedError(Text.expired);
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'iss') return new UnauthorizedError(Text.wrongIssuer(this.#issuer));
      if (error.claim === 'aud') return new UnauthorizedError(Text.wrongAudience(audience));
      if (error.claim === 'nbf' || error.claim === 'iat') return new UnauthorizedError(Text.notYetValid);
      return new UnauthorizedError(Text.invalidClaim(error.claim));
    }
    if (
      error instanceof errors.JWSSignatureVerificationFailed ||
      error instanceof errors.JWKSNoMatchingKey ||
      error instanceof errors.JWKSMultipleMatchingKeys
    ) {
      return new UnauthorizedError(Text.badSignature(this.#issuer));
    }
    if (error instanceof errors.JOSEAlgNotAllowed) return new UnauthorizedError(Text.algorithmNotAllowed);
    if (
      error instanceof errors.JWSInvalid ||
      error instanceof errors.JWTInvalid ||
      error instanceof errors.JOSENotSupported
    ) {
      return new UnauthorizedError(Text.notAJwt);
    }
    // The key set could not be fetched (timeout, HTTP error, not a key set).
    return new BadGatewayError(Text.issuerUnavailable(this.#issuer), { cause: error });
  }
}

/** The body as text, refused once it passes `maxBytes`. */
async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    // Leaving the loop cancels the rest of the body.
    if (size > maxBytes) throw new Error(`discovery document larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
