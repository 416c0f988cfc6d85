interface ImportMetaEnv {
  /** The registry to browse when the page URL has no `?registry=`. */
  readonly VITE_REGISTRY_URL?: string;
}
