/** Where variables are read from: `process.env` by default, or any plain record in tests. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** The variable's own value, so names such as `constructor` never resolve to inherited members. */
export function lookupEnv(env: EnvSource, name: string): string | undefined {
  return Object.hasOwn(env, name) ? env[name] : undefined;
}
