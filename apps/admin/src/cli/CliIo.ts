import type { EnvSource } from '@myorg/utilities';

/** Where a command reads its environment and writes its output: the process, or a test's buffers. */
export interface CliIo {
  /** Where `user add --password-stdin` reads the password. */
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Animated progress when true; one line per event otherwise (CI logs, pipes, tests). */
  isTTY: boolean;
  env: EnvSource;
  cwd: string;
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
