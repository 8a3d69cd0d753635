import { defineConfig } from 'vite';

// The page asks its own origin for guest tokens (/api/guest-token); in
// development that endpoint belongs to the demo host app of `make dev`, so
// Vite forwards /api there. A real app points this at its own backend.
const backend = process.env.DASHEMBED_BACKEND_URL ?? 'http://127.0.0.1:8080';
const proxy = { '/api': { target: backend } };

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
  // JSX with React's automatic runtime, without a React plugin.
  esbuild: { jsx: 'automatic' },
  // Vite's dev server would pre-bundle the SDK into .vite/deps, away from
  // its dashembed.wasm: serve the package as it is.
  optimizeDeps: { exclude: ['dashembed'] },
});
