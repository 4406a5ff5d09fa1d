// Module loader hooks (node:module register) for the shell tier: `import … from 'electron'` in the built main
// process, and in the libraries it imports, resolves to the recording stand-in's bridge instead of the npm package
// (which only knows the path of a binary we cannot download).
const bridge = new URL('./electron-bridge.cjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: bridge, format: 'commonjs', shortCircuit: true };
  return nextResolve(specifier, context);
}
