// Runs the fast path's planIframe on every case of the differential test
// (differential_test.go) in one Node process. Arguments: the CommonJS
// bundle of plan.js and the JSON file of cases, each a tagged value (see
// jsv in jsvalue_test.go). Prints one line per case: null, or the plan with
// every string as its UTF-16 code units, so that a lone surrogate in a plan
// reaches Go as it is instead of as U+FFFD; with the plan, the origin the
// browser gives its src (browserOrigin), for the test to hold it to.
'use strict';
const fs = require('fs');

// planIframe checks mountPoint with instanceof Element and isConnected;
// Node has no DOM, so the cases' elements are instances of this class.
globalThis.Element = class Element {
  constructor(connected) {
    this.isConnected = connected;
  }
};

const [bundle, casesFile] = process.argv.slice(2);
const { planIframe } = require(bundle);

const text = (codeUnits = []) => codeUnits.map((u) => String.fromCharCode(u)).join('');
const codeUnits = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));

function build(v) {
  switch (v.t) {
    case 'undef': return undefined;
    case 'null': return null;
    case 'bool': return Boolean(v.b);
    case 'num': return Number(v.n);
    case 'str': return text(v.s);
    case 'arr': return define([], (v.a || []).map((item, i) => ({ k: String(i), v: item })));
    case 'obj': return object(v);
    case 'fn': return () => {};
    case 'el': return new Element(Boolean(v.b));
    case 'other': {
      const Named = { [v.n]: class {} }[v.n]; // an instance whose constructor is named v.n
      return new Named();
    }
  }
  throw new Error(`plan-runner: unknown tag ${v.t}`);
}

const object = (v) => define(v.np ? Object.create(null) : {}, (v.p || []).map((p) => ({ ...p, k: text(p.k) })));

// define gives o its properties; a value tagged throw becomes a getter that
// throws. defineProperty, not assignment: a key "__proto__" must become an
// own property, as it does in an object from JSON.parse.
function define(o, props) {
  for (const p of props) {
    const desc = p.v.t === 'throw'
      ? { get() { throw new Error(p.v.n); } }
      : { value: build(p.v), writable: true };
    Object.defineProperty(o, p.k, { ...desc, enumerable: !p.h, configurable: true });
  }
  return o;
}

function browserOrigin(src) {
  try {
    return new URL(src).origin;
  } catch (err) {
    return `(not a URL: ${err.message})`;
  }
}

const FIELDS = 'allow,origin,policy,sandbox,src,title';
const lines = JSON.parse(fs.readFileSync(casesFile, 'utf8')).map((c) => {
  const plan = planIframe(build(c));
  if (plan === null) return 'null';
  if (!plan || Object.keys(plan).sort().join() !== FIELDS) {
    throw new Error(`plan-runner: planIframe returned ${JSON.stringify(plan)}, want null or {${FIELDS}}`);
  }
  return JSON.stringify({
    src: codeUnits(plan.src), origin: codeUnits(plan.origin), sandbox: plan.sandbox.map(codeUnits),
    allow: codeUnits(plan.allow), title: codeUnits(plan.title), policy: codeUnits(plan.policy),
    browserOrigin: codeUnits(browserOrigin(plan.src)),
  });
});
process.stdout.write(lines.join('\n') + '\n');
