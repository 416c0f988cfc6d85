/**
 * What the trusted-publishing exchange tells clients. npm prints none of it (it falls back to
 * "need auth"), but `npm publish --loglevel verbose` and a workflow that calls the endpoint itself
 * show the `error` field, so each refusal says what to change. No message echoes the id-token.
 */
export const TrustedPublishingMessages = {
  idTokenMissing:
    'trusted publishing needs a GitHub Actions OIDC id-token in `Authorization: Bearer <id-token>`: give the job `permissions: id-token: write`',
  idTokenTooLong: (maximum: number) => `the id-token is longer than ${maximum} characters`,
  notAJwt: 'the id-token is not a signed JWT',
  badSignature: (issuer: string) => `the id-token's signature does not verify against the keys of ${issuer}`,
  algorithmNotAllowed: 'the id-token is signed with an algorithm other than RS256 or ES256',
  wrongIssuer: (issuer: string) => `the id-token was not issued by ${issuer}`,
  wrongAudience: (audience: string) =>
    `the id-token's audience is not ${audience}: request it for ${audience} (npm does when this registry is its registry)`,
  expired: 'the id-token has expired: request a fresh one',
  notYetValid: 'the id-token is not valid yet: check the clock of this registry',
  invalidClaim: (claim: string) => `the id-token's "${claim}" claim is not valid`,
  notAnActionsToken: 'the id-token lacks the repository and workflow_ref claims of a GitHub Actions id-token',
  issuerUnavailable: (issuer: string) =>
    `cannot read the signing keys of the OIDC issuer ${issuer}: try again later`,
  noTrustedPublisher: (name: string) =>
    `${name} has no trusted publisher: add one for it under "trustedPublishers" in REGISTRY_ACCESS_RULES`,
  notTrusted: (name: string, repository: string, workflow: string, environment: string | undefined) =>
    `${repository} workflow ${workflow}${environment === undefined ? ' (no environment)' : ` in environment ${environment}`} is not a trusted publisher of ${name}`,
} as const;
