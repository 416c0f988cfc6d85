// Deployed only when the stack was synthesised before the registry's Lambda bundle was built
// (apps/registry/dist/lambda): every request learns why, instead of a bare 502.
export async function handler() {
  return {
    statusCode: 503,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      error:
        'this deployment holds a placeholder: build the registry (npx nx run registry-stack:synth) and deploy again',
    }),
  };
}
