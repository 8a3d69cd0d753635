import { createElement, forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { embedDashboard } from 'dashembed';
import { domainOptions, events } from 'dashembed:spec';

// dashembed/react: <Dashboard> and useDashboard, over the SDK's public
// embedDashboard. The options go to the SDK as they are, so it decides what
// is valid and rejects the rest with its own errors.

// The prop that receives each lifecycle event: onReady for 'ready', …
const handlerProp = (event) => 'on' + event[0].toUpperCase() + event.slice(1);
const handlerProps = events.map(handlerProp);

const idle = { dashboard: null, error: null };

// useDashboard embeds a dashboard into the element its returned ref is
// attached to, and returns { ref, dashboard, error }: the EmbeddedDashboard
// once embedDashboard resolved, or the error it rejected with.
//
// It embeds again only when the dashboard (id) or the domain changes. The
// callbacks (fetchGuestToken, resolvePermalinkUrl, the on* handlers) may
// change identity on every render: it always calls the latest ones. Other
// options are read when it embeds.
export function useDashboard(options) {
  // Read only by effects and callbacks, which run after the render that
  // set it has been committed.
  const latest = useRef(options);
  latest.current = options;
  // The element arrives through a callback ref, in state: StrictMode's
  // extra unmount and mount of a new component run before it is set, so
  // they embed nothing, and the effect below embeds once.
  const [mountPoint, setMountPoint] = useState(null);
  const [result, setResult] = useState(idle);
  // Whichever of supersetDomain's names is given (Go's list, in Go's order):
  // a change of it embeds again.
  const domain = domainOptions.map((k) => options[k]).find((v) => v !== undefined && v !== null);

  useEffect(() => {
    if (!mountPoint) return undefined;
    let live = true;
    let dashboard = null;
    setResult(idle);
    embedDashboard(params(latest, mountPoint)).then((d) => {
      if (!live) {
        d.unmount();
        return;
      }
      dashboard = d;
      for (const name of events) {
        d.on(name, (detail) => call(latest.current[handlerProp(name)], detail));
      }
      setResult({ dashboard: d, error: null });
    }, (error) => {
      if (!live) return;
      setResult({ dashboard: null, error });
      call(latest.current.onError, { code: error && error.code, message: error && error.message });
    });
    return () => {
      live = false;
      if (dashboard) dashboard.unmount();
    };
  }, [mountPoint, options.id, domain]);

  return { ref: setMountPoint, dashboard: result.dashboard, error: result.error };
}

function call(fn, detail) {
  if (typeof fn === 'function') fn(detail);
}

// params builds embedDashboard's argument from the latest options: the
// handlers left out, and each function option replaced by one that calls
// the latest (anything else is left for the SDK to reject).
function params(latest, mountPoint) {
  const p = { ...latest.current, mountPoint };
  for (const name of handlerProps) delete p[name];
  for (const name of ['fetchGuestToken', 'resolvePermalinkUrl']) {
    if (typeof p[name] === 'function') p[name] = (...args) => latest.current[name](...args);
  }
  return p;
}

// <Dashboard id supersetDomain fetchGuestToken … onReady onError … /> renders
// a <div> (empty on the server) and embeds the dashboard in it once mounted.
// Its ref is the EmbeddedDashboard (null until it is ready).
export const Dashboard = forwardRef(function Dashboard(props, ref) {
  const { className, style, ...options } = props;
  const { ref: mount, dashboard } = useDashboard(options);
  useImperativeHandle(ref, () => dashboard, [dashboard]);
  return createElement('div', { ref: mount, className, style });
});
