/**
 * An AbortSignal that fires on SIGINT or SIGTERM, for loops that must stop cleanly. The listeners
 * live only until `dispose`, so every other command keeps Node's default: the signal ends the process.
 */
export function processSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}
