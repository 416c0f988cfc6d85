// Preloaded into the npm CLI (`NODE_OPTIONS=--require`) by the signature tests. `npm audit
// signatures` first refreshes Sigstore's TUF repository from its CDN, to look for the registry's
// keys there, and fails outright when the CDN cannot be reached (as in a sandbox that reaches only
// the npm registry). That repository lists only the public registry's keys: for a registry on
// loopback the real answer is "no such target", after which npm asks the registry's own
// `/-/npm/v1/keys`. This answers exactly that, without the network; npm, pacote and the signature
// checks run unchanged.
const Module = require('node:module');

const load = Module._load;
Module._load = function loadWithOfflineTuf(request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  if (request !== '@sigstore/tuf') return loaded;
  const notListed = (target) =>
    new loaded.TUFError({ code: 'TUF_FIND_TARGET_ERROR', message: `Target ${target} not found` });
  return {
    ...loaded,
    initTUF: async () => ({
      getTarget: async (target) => {
        throw notListed(target);
      },
    }),
  };
};
