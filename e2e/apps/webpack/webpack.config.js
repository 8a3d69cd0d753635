const path = require('node:path');

// webpack 5 turns the SDK's new URL('./dashembed.wasm', import.meta.url)
// into a hashed asset by itself: no loader, no copy step.
module.exports = {
  entry: './src/main.js',
  output: { path: path.resolve(__dirname, 'dist'), filename: 'main.js', clean: true },
  performance: { hints: false },
};
