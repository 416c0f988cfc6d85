import { gzipSync } from 'node:zlib';

/** One 512-byte ustar header for a regular file. */
function tarHeader(path: string, size: number): Buffer {
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
  write('0', 156, 1);
  write('ustar\0', 257, 6);
  write('00', 263, 2);
  let checksum = 0;
  for (const byte of header) checksum += byte;
  write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

/** A gzipped tar of `files` under `package/`, as `npm pack` makes it. */
export function makeTarball(files: Record<string, string | Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    parts.push(tarHeader(`package/${path}`, data.byteLength), data);
    const padding = (512 - (data.byteLength % 512)) % 512;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
