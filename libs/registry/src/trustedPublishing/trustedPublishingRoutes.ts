import { Header } from '@myorg/constants';
import { ForbiddenError, UnauthorizedError } from '@myorg/error';
import { json } from '@myorg/response';
import { assertPackageName } from '@myorg/validation';
import type { AccessRules } from '../access/accessRules.ts';
import { parseAuthorization } from '../auth/authorizationHeader.ts';
import { audit, NO_STORE, tokenDetail } from '../auth/authRequests.ts';
import { issueToken } from '../auth/tokens/issueToken.ts';
import type { TokenDependencies } from '../auth/tokens/TokenDependencies.ts';
import { anonymousRoute, type RegistryContext, type Route } from '../http/types.ts';
import { IdTokenVerifier } from './IdTokenVerifier.ts';
import { matchTrustedPublisher, workflowOf } from './matchTrustedPublisher.ts';
import { TrustedPublishingMessages as Text } from './messages.ts';

export interface TrustedPublishingOptions {
  /** The rule file; its `trustedPublishers` say which workflows may publish which packages. */
  rules: AccessRules;
  /** REGISTRY_OIDC_ISSUER: whose id-tokens are accepted. */
  issuer: string;
  /** REGISTRY_OIDC_TOKEN_TTL: the life of an exchanged token, in milliseconds. */
  tokenTtlMs: number;
}

/**
 * Who a trusted-publishing token belongs to, and so the `_npmUser` and first maintainer of what it
 * publishes: GitHub's own name for its Actions bot. No local user name or GitHub login can take it
 * (neither allows brackets), so nobody can log in as it or list its tokens.
 */
export const TRUSTED_PUBLISHER_USER = 'github-actions[bot]';

/** GitHub's id-tokens are about 1.5 KB; a header far past that is not one. */
const MAX_ID_TOKEN_LENGTH = 8192;
const JWS_COMPACT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * `POST /-/npm/v1/oidc/token/exchange/package/:pkg`, npm's trusted publishing (npm 11.5 and later):
 * a GitHub Actions job sends its OIDC id-token (audience `npm:<registry host>`) and gets a
 * short-lived registry token that may publish `pkg` and nothing else, when a trusted publisher of
 * the rule file names the job's repository, workflow file and (if the rule sets one) environment.
 */
export function trustedPublishingRoutes(
  options: TrustedPublishingOptions,
  tokens: TokenDependencies,
): Route[] {
  const verifier = new IdTokenVerifier({ issuer: options.issuer });
  return [
    // The caller has no registry token yet: this hands one out.
    anonymousRoute('POST', '/-/npm/v1/oidc/token/exchange/package/:pkg', async (req, ctx, { pkg }) => {
      const name = assertPackageName(pkg);
      const idToken = bearerIdToken(req.headers[Header.AUTHORIZATION]);
      // Checked before the token, so a name without publishers costs no key lookup.
      const publishers = options.rules.trustedPublishersFor(name);
      if (publishers.length === 0) {
        refuse(ctx, name, undefined, Text.noTrustedPublisher(name));
        throw new ForbiddenError(Text.noTrustedPublisher(name));
      }
      const claims = await verifier
        .verify(idToken, `npm:${new URL(ctx.baseUrl).hostname}`)
        .catch((error: unknown) => {
          refuse(ctx, name, undefined, error instanceof Error ? error.message : String(error));
          throw error;
        });
      const workflow = workflowOf(claims);
      const publisher = workflow && matchTrustedPublisher(workflow, publishers);
      if (workflow === undefined || publisher === undefined) {
        const refusal = Text.notTrusted(
          name,
          claims.repository,
          workflow?.file ?? claims.workflow_ref,
          claims.environment,
        );
        refuse(ctx, name, claims.repository, refusal);
        throw new ForbiddenError(refusal);
      }
      const { token, record } = await issueToken(tokens, {
        user: TRUSTED_PUBLISHER_USER,
        name: `trusted publishing: ${workflow.repository} ${workflow.file}`,
        readOnly: false,
        cidrWhitelist: [],
        packages: [name],
        lifeMs: options.tokenTtlMs,
      });
      audit(
        ctx,
        'trusted publishing token issued',
        {
          user: record.user,
          package: name,
          repository: workflow.repository,
          workflow: workflow.file,
          environment: workflow.environment,
          tokenKey: record.key,
          expires: record.expires,
        },
        {
          action: 'token-create',
          outcome: 'ok',
          actor: record.user,
          package: name,
          detail: `${tokenDetail(record)} for ${workflow.repository} ${workflow.file}`,
        },
      );
      return json(201, { token }, NO_STORE);
    }),
  ];
}

/** The id-token of a Bearer header, shaped like a signed JWT and bounded in length (401 otherwise). */
function bearerIdToken(header: string | undefined): string {
  if (header !== undefined && header.length > MAX_ID_TOKEN_LENGTH + 'Bearer '.length) {
    throw new UnauthorizedError(Text.idTokenTooLong(MAX_ID_TOKEN_LENGTH));
  }
  const credentials = parseAuthorization(header);
  if (credentials?.scheme !== 'bearer') throw new UnauthorizedError(Text.idTokenMissing);
  if (!JWS_COMPACT.test(credentials.token)) throw new UnauthorizedError(Text.notAJwt);
  return credentials.token;
}

/** Logs a refusal with the package and, once the token verified, its repository; never the token. */
function refuse(ctx: RegistryContext, name: string, repository: string | undefined, reason: string): void {
  ctx.logger.warn('trusted publishing refused', {
    requestId: ctx.requestId,
    package: name,
    repository,
    reason,
  });
}
