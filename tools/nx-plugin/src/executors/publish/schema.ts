/** Options of the `publish` executor; see schema.json. */
export interface PublishExecutorOptions {
  registry?: string;
  config?: string;
  tag?: string;
  dryRun?: boolean;
}
