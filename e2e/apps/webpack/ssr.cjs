// <Dashboard> rendered on the server: require() of the CommonJS entries in
// Node, and an empty container, which the browser fills after hydration.
const { createElement } = require('react');
const { renderToString } = require('react-dom/server');
const { Dashboard } = require('dashembed/react');

process.stdout.write(renderToString(createElement(Dashboard, {
  id: 'a-dashboard',
  supersetDomain: 'https://bi.example.com',
  fetchGuestToken: () => Promise.reject(new Error('not on the server')),
  className: 'dashboard',
})) + '\n');
