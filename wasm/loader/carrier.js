import { actions, errorCodes, messageIdPrefix, portClosedErrorName } from 'dashembed:spec';
import { sdkError } from './errors.js';

// carrier is our end of one document's MessageChannel as the SDK uses it:
// it writes switchboard messages as upstream's switchboard does, and it
// answers the calls it carries itself. A reply settles the caller's
// Promise here, with no trip into Go and back: that trip is what made a
// getScrollSize() round trip cost several times upstream's.
//
// What it carries and when it closes are decided by Go (sdk/embed:
// Embed.Carry, and Embed.route, which names the one port the dashboard
// object may carry bare calls on without asking), or, before Go is up, by
// the fast path, for the methods Go lists as bare. So is the Error of a
// call the page answers with an `error`: that goes to refused, with the
// call, for Go to build. Every other message goes to deliver.
// Until listen() names them (the fast path's port, before Go adopts it),
// such messages wait here, in order.
export function carrier(port) {
  const calls = new Map(); // messageId → { method, resolve, reject }
  let deliver;
  let refused;
  let held = [];
  let open = true;
  const hand = (data, call) => {
    if (call) refused(call, data.error);
    else deliver(data);
  };
  const onMessage = (event) => {
    const d = event.data;
    if (!d || typeof d !== 'object' || typeof d.switchboardAction !== 'string') return;
    const call = (d.switchboardAction === actions.reply || d.switchboardAction === actions.error) && calls.get(d.messageId);
    if (call) {
      calls.delete(d.messageId);
      if (d.switchboardAction === actions.reply) {
        call.resolve(d.result);
        return;
      }
    }
    if (held) held.push([d, call]);
    else hand(d, call);
  };
  port.addEventListener('message', onMessage);
  port.start();
  let numbered = 0;
  const c = {
    // count numbers a call on this port: 1, 2… Go's calls and the ones
    // carried here without Go take their numbers from the same counter.
    count() {
      numbered += 1;
      return numbered;
    },

    // post writes one message with the fields upstream's switchboard
    // writes for its action.
    post(action, method, messageId, args, result, error) {
      const m = { switchboardAction: action };
      if (action === actions.get || action === actions.emit) {
        m.method = method;
        if (action === actions.get) m.messageId = messageId;
        m.args = args;
      } else {
        m.messageId = messageId;
        if (action === actions.reply) m.result = result;
        else m.error = error;
      }
      port.postMessage(m);
    },

    // request posts a `get` and returns the Promise its answer settles. A
    // message that cannot be cloned throws, before anything is kept. A
    // closed carrier throws too: a closed MessagePort would drop the call
    // and leave its Promise pending for ever. (Go's rules never carry on a
    // closed port, and Go's own end answers such a call itself; this is
    // the last guard.)
    request(method, messageId, args) {
      if (!open) {
        const err = sdkError(errorCodes.portClosed, 'dashembed: ' + method + ' was not sent: the dashboard\'s port is closed');
        err.name = portClosedErrorName;
        throw err;
      }
      c.post(actions.get, method, messageId, args);
      return new Promise((resolve, reject) => calls.set(messageId, { method, resolve, reject }));
    },

    // requestBare makes a call with no arguments under the next id: a
    // bare call (spec's methods), carried without Go.
    requestBare(method) {
      return c.request(method, messageIdPrefix + c.count(), undefined);
    },

    listen(onDeliver, onRefused) {
      deliver = onDeliver;
      refused = onRefused;
      const waiting = held;
      held = undefined;
      for (const [d, call] of waiting) hand(d, call);
    },

    // close closes the port and returns the calls still unanswered, each
    // { method, reject }, for their owner to end.
    close() {
      open = false;
      port.removeEventListener('message', onMessage);
      port.close();
      held = [];
      const cut = [...calls.values()];
      calls.clear();
      return cut;
    },
  };
  return c;
}
