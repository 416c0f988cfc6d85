import { gzipSync } from 'node:zlib';

export interface TarEntryOptions {
  /** ustar type flag: '0' file (default), '2' symbolic link, '5' folder. */
  type?: string;
  linkpath?: string;
}

/** One 512-byte ustar header. */
export function tarHeader(
  path: string,
  size: number,
  { type = '0', linkpath = '' }: TarEntryOptions = {},
): Buffer {
  const header = Buffer.alloc(512);
  const write = (value: string, offset: number, length: number) =>
    header.write(value, offset, length, 'ascii');
  const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, '0')}\0`;
  write(path, 0, 100);
  write(octal(0o644, 8), 100, 8);
  write(octal(0, 8), 108, 8);
  write(octal(0, 8), 116, 8);
  write(octal(size, 12), 124, 12);
  write(octal(0, 12), 136, 12);
  header.fill(' ', 148, 156);
  write(type, 156, 1);
  write(linkpath, 157, 100);
  write('ustar\0', 257, 6);
  write('00', 263, 2);
  let checksum = 0;
  for (const byte of header) checksum += byte;
  write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

/** `bytes` zero-padded to whole 512-byte tar blocks. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/** The two zero blocks that end a tar archive. */
export const TAR_END = Buffer.alloc(1024);

/** A gzipped tar of `files` under `<root>/` (`package/`, as `npm pack` makes it). */
export function makeTarball(files: Record<string, string | Buffer>, root = 'package'): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    parts.push(tarHeader(`${root}/${path}`, data.byteLength), data, tarPadding(data.byteLength));
  }
  parts.push(TAR_END);
  return gzipSync(Buffer.concat(parts));
}
