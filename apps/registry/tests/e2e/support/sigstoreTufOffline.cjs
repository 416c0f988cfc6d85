// Preloaded into the npm CLI (`NODE_OPTIONS=--require`) by the signature tests. `npm audit
// signatures` always starts with `initTUF()` of @sigstore/tuf (its documented API: initTUF([options])
// refreshes the Sigstore TUF repository and returns a client whose one function, getTarget(name),
// answers a target or rejects with a TUFError), to look for `<registry host>/keys.json` there, and
// fails outright when Sigstore's CDN cannot be reached, as here. npm passes only cachePath, retry
// and timeout, so no npm setting points it at a loopback mirror, and a mirror could not stand in
// anyway: its metadata must be signed by Sigstore's root keys. That repository lists only the
// public registry's keys, so for a registry on loopback the real answer is a TUFError with code
// TUF_FIND_TARGET_ERROR, after which npm asks the registry's own `/-/npm/v1/keys`. This gives
// exactly that answer without the network; npm, pacote and the signature checks run unchanged.
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
