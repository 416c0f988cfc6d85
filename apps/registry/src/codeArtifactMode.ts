type Env = Readonly<Record<string, string | undefined>>;

/** `nx serve registry --codeartifact` (Nx may pass `--codeartifact=true`) or REGISTRY_MODE=codeartifact. */
export function isCodeArtifactMode(argv: readonly string[], env: Env): boolean {
  return (
    env.REGISTRY_MODE === 'codeartifact' ||
    argv.some((arg) => arg === '--codeartifact' || arg === '--codeartifact=true')
  );
}
