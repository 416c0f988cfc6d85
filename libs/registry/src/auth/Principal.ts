/** An authenticated caller. */
export interface Principal {
  name: string;
  /** The user's e-mail address, when the provider knows it: publishes record it in `_npmUser` and `maintainers`. */
  email?: string;
  /** True for read-only tokens: every write must be refused with 403. */
  readOnly: boolean;
  /** The key (public id) of the token used, when the caller used one. */
  tokenKey?: string;
  /**
   * What access rules can name besides the user (see `access/`): `org:<org>` and
   * `team:<org>/<team-slug>` from GitHub, `group:<name>` from a local user's groups.
   */
  groups?: readonly string[];
  /**
   * Set on a token limited to publishing these packages (trusted publishing from CI): it may do
   * nothing else, whatever the rules grant its user.
   */
  packages?: readonly string[];
}
