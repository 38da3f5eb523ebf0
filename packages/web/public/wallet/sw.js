/* global self, caches, fetch, Response, URL, Request */
/*
 * The wallet's service worker: makes the wallet open without a network (installable PWA). It caches the app
 * itself only, never an API answer: credentials live encrypted in IndexedDB, and status, offers and requests
 * always go to the network.
 *   - install: every file the wallet page loads is stored at once (PRECACHE, written by the build from Vite's
 *     manifest: the page, its scripts and styles, the web app manifest, the icons), into a cache named after
 *     the build; activate deletes every other cache of the wallet;
 *   - precached files: from the cache (the built assets are content-hashed; a new build is a new worker);
 *   - the page: the network first (a new build shows up at once), the cached copy when offline.
 */
const PRECACHE = { version: "dev", urls: [] };
const PREFIX = "mobile-id-wallet-";
const CACHE = `${PREFIX}${PRECACHE.version}`;
const SHELL = "/app/wallet/";
const urls = new Set(PRECACHE.urls.length === 0 ? [SHELL] : PRECACHE.urls);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `reload`: straight from the network, not from the HTTP cache (which may hold an older page).
      .then((cache) => cache.addAll([...urls].map((u) => new Request(u, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const isPage = request.mode === "navigate" && url.pathname.startsWith(SHELL);
  if (isPage) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && url.pathname === SHELL) void caches.open(CACHE).then((cache) => cache.put(SHELL, response.clone()));
          return response;
        })
        .catch(() => caches.open(CACHE).then((cache) => cache.match(SHELL)).then((hit) => hit ?? Response.error())),
    );
    return;
  }
  if (urls.has(url.pathname)) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname).then((hit) => hit ?? fetch(request))));
  }
});
