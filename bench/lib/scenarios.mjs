// The autocannon scenarios, each validated with one real request before the load starts.
import { createHash } from 'node:crypto';
import { names, smallVersions } from './fixtures.mjs';
import { npmGet } from './npmProtocol.mjs';

const abbreviatedType = 'application/vnd.npm.install-v1+json';
const acceptFull = 'application/json';
const acceptAbbreviated = `${abbreviatedType}; q=1.0, application/json; q=0.8, */*`;

export function scenarios(config) {
  const packument = (id, title, name, versions, abbreviated, { auth = false, target } = {}) => ({
    id,
    title,
    target,
    async prepare(registry, token) {
      const url = new URL(name.replace('/', '%2f'), registry).href;
      const { status, headers, body } = await npmGet(url, { abbreviated, token: auth ? token : undefined });
      if (status !== 200) throw new Error(`GET ${url} answered ${status}: ${body.toString().slice(0, 200)}`);
      const doc = JSON.parse(body.toString());
      const count = Object.keys(doc.versions ?? {}).length;
      if (count !== versions) throw new Error(`GET ${url} listed ${count} versions, expected ${versions}`);
      const contentType = headers.get('content-type') ?? '';
      const check = {
        contentType,
        bodyBytes: body.length,
        encoding: headers.get('content-encoding') ?? 'identity',
      };
      if (abbreviated && !contentType.includes(abbreviatedType)) check.note = 'served the full document';
      return { url, check };
    },
    headers: (token) => ({
      accept: abbreviated ? acceptAbbreviated : acceptFull,
      'accept-encoding': 'gzip,deflate',
      ...(auth ? { authorization: `Bearer ${token}` } : {}),
    }),
  });

  const many = `${config.manyVersions}-version packument`;
  return [
    packument(
      'small-full',
      `Small packument (${smallVersions.length} versions), full`,
      names.small,
      smallVersions.length,
      false,
      { target: 15_000 },
    ),
    packument('small-abbreviated', 'Small packument, abbreviated', names.small, smallVersions.length, true, {
      target: 15_000,
    }),
    packument(
      'small-abbreviated-token',
      'Small packument, abbreviated, with token',
      names.small,
      smallVersions.length,
      true,
      {
        auth: true,
      },
    ),
    packument('many-full', `${many}, full`, names.many, config.manyVersions, false, { target: 2_000 }),
    packument('many-abbreviated', `${many}, abbreviated`, names.many, config.manyVersions, true, {
      target: 2_000,
    }),
    {
      id: 'tarball-1mb',
      title: '~1 MB tarball',
      target: 2_000,
      alsoStatic: true, // the floor: the same file from the static server
      async prepare(registry) {
        const packumentUrl = new URL(names.big.replace('/', '%2f'), registry).href;
        const doc = JSON.parse((await npmGet(packumentUrl)).body.toString());
        const dist = doc.versions?.['1.0.0']?.dist;
        if (!dist) throw new Error(`GET ${packumentUrl} has no version 1.0.0`);
        const { status, body } = await npmGet(dist.tarball);
        const integrity = `sha512-${createHash('sha512').update(body).digest('base64')}`;
        if (status !== 200 || integrity !== dist.integrity) {
          throw new Error(
            `GET ${dist.tarball} answered ${status} with ${body.length} bytes not matching dist.integrity`,
          );
        }
        return { url: dist.tarball, check: { bodyBytes: body.length } };
      },
      headers: () => ({ accept: '*/*', 'accept-encoding': 'gzip,deflate' }),
    },
  ];
}
