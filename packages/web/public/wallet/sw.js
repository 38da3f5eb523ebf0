/* global self, caches, fetch, Response, URL */
/*
 * The wallet's service worker: makes the wallet open without a network (installable PWA). It caches the app
 * itself only (pages and built assets under /app/), never an API answer: credentials live encrypted in
 * IndexedDB, and status, offers and requests always go to the network.
 *   - built assets (/app/assets/, content-hashed): cache first;
 *   - pages, manifest, icons: network first, the cached copy when offline.
 */
const CACHE = "mobile-id-wallet-v1";
const SHELL = ["/app/wallet/", "/app/wallet/manifest.webmanifest", "/app/wallet/icon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/app/")) return;
  if (url.pathname.startsWith("/app/assets/")) {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            if (response.ok) void caches.open(CACHE).then((cache) => cache.put(request, response.clone()));
            return response;
          }),
      ),
    );
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) void caches.open(CACHE).then((cache) => cache.put(request, response.clone()));
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit ?? Response.error())),
  );
});
