/**
 * What the server prints once it listens. Tests and scripts parse it, so its shape is a contract:
 * the first line ends with the listening URL, and every URL ends with a slash (npm resolves
 * paths such as `-/user/...` against it). The fifth line names the upstream proxied (or `none`).
 */
export function banner(listeningUrl: string, publicUrl: string, storage: string, upstream: string): string {
  return [
    `myorg registry listening on ${listeningUrl}`,
    `storage: ${storage}`,
    `use it:  npm config set registry ${publicUrl}`,
    `sign in: npm adduser --registry ${publicUrl}`,
    `upstream: ${upstream}`,
    '',
  ].join('\n');
}
