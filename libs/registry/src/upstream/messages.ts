/**
 * What the upstream proxy tells clients, in the words npm users know (npm prints the `error` field
 * after the status line). Kept next to the proxy, as the auth messages are kept next to auth; the
 * messages it shares with the core (`no such package available`) come from `../messages.ts`.
 */
export const UpstreamMessages = {
  // Requests that needed the upstream while it could not answer; `consequence` completes the sentence.
  unavailable: (consequence: string, reason: string) =>
    `the upstream registry is unavailable (${reason}) and ${consequence}: try again later`,
  timedOut: (consequence: string, reason: string) =>
    `the upstream registry did not answer in time (${reason}) and ${consequence}: try again later`,
  notCached: (subject: string) => `${subject} is not cached by this registry`,
  auditNeedsUpstream: 'npm audit needs its answer',
  keysNeedUpstream: "the registry's signing keys come from it (npm audit signatures)",
  attestationsNeedUpstream: (subject: string) => `the attestations of ${subject} come from it`,
  markedDown: (failures: number, seconds: number) =>
    `upstream marked down after ${failures} failed requests; next attempt in ${seconds} s`,
  busy: (timeoutMs: number) => `no free upstream connection within ${timeoutMs} ms`,

  // What the upstream sent
  notAPackument: (name: string) => `the upstream registry sent no valid package document for ${name}`,
  noChecksum: (fileName: string) =>
    `the upstream registry publishes neither dist.integrity nor dist.shasum for ${fileName}: it cannot be verified, so it is not served`,
  integrityMismatch: (fileName: string) =>
    `the tarball the upstream registry sent for ${fileName} does not match its dist.integrity: it was discarded, not served`,

  // Publishing
  publishOverUpstream: (name: string) =>
    `${name} is a package on the upstream registry: publishing it here would replace it for everyone using this registry. Publish under a private scope, or allow the name in REGISTRY_ALLOW_PUBLISH_OVER_UPSTREAM`,
  publishCheckFailed: (name: string, reason: string) =>
    `cannot check whether ${name} exists on the upstream registry (${reason}): try again later, or publish under a private scope`,

  // npm audit
  auditWithoutUpstream:
    'npm audit needs an upstream registry to ask for advisories, and this registry has none (REGISTRY_UPSTREAM=none)',
  auditBodyMustBeObject: 'the audit request body must be a JSON object',
  auditBodyNotGzip: 'the audit request body says gzip but is not a valid gzip stream',
  auditBodyTooLarge: (limit: number) => `the audit request body unpacks to more than ${limit} bytes`,
} as const;
