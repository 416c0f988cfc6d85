/** An authenticated caller. */
export interface Principal {
  name: string;
  /** The user's e-mail address, when the provider knows it: publishes record it in `_npmUser` and `maintainers`. */
  email?: string;
  /** True for read-only tokens: every write must be refused with 403. */
  readOnly: boolean;
  /** The key (public id) of the token used, when the caller used one. */
  tokenKey?: string;
}
