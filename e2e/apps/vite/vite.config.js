import { defineConfig } from 'vite';

export default defineConfig({
  // Served from a sub-path in the tests.
  base: './',
  // JSX without a React plugin: esbuild's automatic runtime.
  esbuild: { jsx: 'automatic' },
});
