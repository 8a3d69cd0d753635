// Runs the loader's queued dashboard (handle.js) over the sequences of the
// differential test queued_test.go in one Node process. Arguments: the
// CommonJS bundle of handle.js and the JSON file of sequences, each a list
// of ops: {op: "on"} subscribes an `error` listener named by the op's
// index; {op: "onoff"} subscribes one and unsubscribes it at once; {op:
// "off", of: i} unsubscribes the listener of op i; {op: "fail"} makes Go's
// adoption fail, as a wasm that does not load does. Each op runs in a task
// of its own (microtasks settle in between). Prints one line per sequence:
// the names of the listeners called, in order.
'use strict';
const fs = require('fs');

const [bundle, casesFile] = process.argv.slice(2);
const { queuedDashboard } = require(bundle);
const task = () => new Promise((resolve) => setTimeout(resolve, 0));

async function run(ops) {
  let fail;
  const adopted = new Promise((_, reject) => { fail = reject; });
  const early = { released: false, carrier: null, abort() {}, release() {} };
  const dash = queuedDashboard(adopted, early);
  const called = [];
  const offs = [];
  for (const [i, o] of ops.entries()) {
    switch (o.op) {
      case 'on':
        offs[i] = dash.on('error', () => called.push(i));
        break;
      case 'onoff':
        dash.on('error', () => called.push(i))();
        break;
      case 'off':
        if (offs[o.of]) offs[o.of]();
        break;
      case 'fail': {
        const err = new Error('the wasm did not load');
        err.code = 'WASM_LOAD_FAILED';
        fail(err);
        break;
      }
      default:
        throw new Error('unknown op ' + o.op);
    }
    await task();
  }
  await task();
  return called;
}

(async () => {
  const sequences = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  const lines = [];
  for (const ops of sequences) lines.push(JSON.stringify(await run(ops)));
  process.stdout.write(lines.join('\n') + '\n');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
