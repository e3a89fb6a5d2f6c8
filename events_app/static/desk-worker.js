/* The desk's service worker: keeps the desk page and its files so a reload works when the wifi drops.
 * Pages: network first, the kept copy when offline. Files: the kept copy, refreshed in the background.
 * JSON (scans, counts, the day's list) is never kept here: desk.js keeps the list and the queue itself.
 */
"use strict";
var CACHE = "desk-v1";
var FILES = ["/static/desk.js", "/static/desk.css", "/static/css/app.css", "/static/vendor/jsQR.js"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(FILES); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isDeskPage(url) {
  // /checkin/<event> (any day), not the JSON, the forms' targets or the walk-in page.
  return /^\/checkin\/[^/]+$/.test(url.pathname) && !url.searchParams.has("q");
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
      return kept || fresh;
    }));
    return;
  }
  if (request.mode === "navigate" && isDeskPage(url)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (kept) {
        return kept || caches.match(request, {ignoreSearch: true});
      }).then(function (kept) { return kept || Response.error(); });
    }));
  }
});
