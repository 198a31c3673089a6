// The service worker: keeps the app's shell (page, styles, scripts, icons) so that Motus opens
// without a network and says it is offline, instead of the browser's error page.
//
// The shell is fetched from the network first and the cache is only the fallback: online, a
// deploy shows at once; offline, the last shell seen opens. The API is never touched here: every
// `/api/...` request goes to the network, so nothing that needs the server pretends to work.

const CACHE = 'motus-shell-v1';

const SHELL = [
  '/',
  '/style.css',
  '/app.js',
  '/api.js',
  '/auth.js',
  '/challenge.js',
  '/countdown.js',
  '/endpanel.js',
  '/game.js',
  '/grid.js',
  '/history.js',
  '/keyboard.js',
  '/leaderboard.js',
  '/letters.js',
  '/live.js',
  '/offline.js',
  '/settings.js',
  '/share.js',
  '/stats.js',
  '/tables.js',
  '/favicon.svg',
  '/manifest.webmanifest',
  '/icon-192.png',
  '/icon-512.png',
  '/icon-maskable-192.png',
  '/icon-maskable-512.png',
];

self.addEventListener('install', (event) => {
  // `reload`: the shell comes from the server, never from an HTTP cache a few minutes old.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function isApi(url) {
  return url.pathname === '/api' || url.pathname.startsWith('/api/');
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || isApi(url)) return;
  event.respondWith(networkFirst(request, event));
});

async function networkFirst(request, event) {
  const cache = await caches.open(CACHE);
  // The page is kept once, under `/`, however it was asked for.
  const url = new URL(request.url);
  const key = url.pathname === '/index.html' ? '/' : request;
  try {
    const response = await fetch(request);
    if (response.ok) event.waitUntil(cache.put(key, response.clone()));
    return response;
  } catch (offline) {
    const kept = await cache.match(key, { ignoreSearch: true });
    if (kept) return kept;
    throw offline;
  }
}
