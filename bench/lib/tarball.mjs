// A minimal npm-style tarball writer (ustar, gzip, entries under package/, npm pack's fixed mtime),
// for the fixtures that are too many to pack one by one with `npm pack`.
import { gzipSync } from 'node:zlib';

const npmPackMtime = Date.UTC(1985, 9, 26, 8, 15) / 1000;

function octal(value, width) {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name, size) {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100);
  block.write(octal(0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(npmPackMtime, 12), 136);
  block.fill(' ', 148, 156); // the checksum is computed with its own field as spaces
  block.write('0', 156);
  block.write('ustar\x0000', 257); // magic "ustar\0" and version "00"
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

/** Gzipped tar of `files` ({ 'package.json': string | Buffer, ... }), each stored as package/<path>. */
export function makeTarball(files) {
  const parts = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    parts.push(header(`package/${name}`, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
