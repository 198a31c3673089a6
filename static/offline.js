// Offline: the service worker that keeps the app's shell (sw.js), and how the page tells that
// the server cannot be reached.

/** Registers sw.js for the whole site; without it the app still works online. */
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // Not fatal: the page is already up, it just will not open offline next time.
  });
}

/** True when a failed API call never reached the server (no network, or the server is gone). */
export function isOffline(error) {
  return error?.code === 'network' || (typeof navigator !== 'undefined' && navigator.onLine === false);
}
