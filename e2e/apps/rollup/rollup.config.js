import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

// Rollup leaves new URL('./dashembed.wasm', import.meta.url) alone;
// importMetaAssets emits the wasm as an asset and points the URL at it.
export default {
  input: 'src/main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true }), importMetaAssets()],
};
