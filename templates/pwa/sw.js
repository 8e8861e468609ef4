// Numbness Diary's service worker: hand-written (see README, "Offline"). Served by pwa.views.service_worker.
// The app shell is precached by version; Today, Log, History and Trends are kept as the patient last saw
// them (network first) and shown with an "offline" bar when the server cannot be reached; queued entries
// are replayed by Background Sync; push messages become notifications.
"use strict";
// Every constant comes from the view (pwa.views.worker_config), as one JSON object.
const CONFIG = {{ config|safe }};
const {
  version: VERSION, shell: SHELL, shell_cache_prefix: SHELL_CACHE_PREFIX, pages: PAGES,
  page_cache_prefix: PAGE_PREFIX, patient_header: PATIENT_HEADER, network_patience_ms: NETWORK_PATIENCE_MS,
  offline_url: OFFLINE_URL, session_url: SESSION_URL, icon: ICON, notification_title: NOTIFICATION_TITLE,
} = CONFIG;
const SHELL_CACHE = SHELL_CACHE_PREFIX + VERSION;
const SAVED_AT_HEADER = "X-Saved-At";  // the worker's own stamp on a kept page

importScripts(CONFIG.queue_script);

self.addEventListener("install", (event) => event.waitUntil(install()));
self.addEventListener("activate", (event) => event.waitUntil(activate()));

async function install() {
  const cache = await caches.open(SHELL_CACHE);
  await cache.addAll([...SHELL, OFFLINE_URL]);
  await self.skipWaiting();
}

// The new version's shell replaces the old one's.
async function activate() {
  const old = (await caches.keys()).filter((k) => k.startsWith(SHELL_CACHE_PREFIX) && k !== SHELL_CACHE);
  await Promise.all(old.map((k) => caches.delete(k)));
  await self.clients.claim();
}

// A page can be left uncontrolled by an active worker: one whose load was already under way when the worker
// claimed its clients (signing in while the worker installs from the login page), or one reloaded past the
// worker (Shift+reload). Such a page asks, and is claimed, so its offline queue and bar work without a second
// visit.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "claim") event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname)) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  }
});

async function fromShell(request) {
  const hit = await (await caches.open(SHELL_CACHE)).match(request);
  return hit || fetch(request);
}

async function pageCaches() {
  return (await caches.keys()).filter((k) => k.startsWith(PAGE_PREFIX));
}

async function forgetPages(except) {
  await Promise.all((await pageCaches()).filter((k) => k !== except).map((k) => caches.delete(k)));
}

function withPatience(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer")), NETWORK_PATIENCE_MS);
    promise.then((r) => { clearTimeout(timer); resolve(r); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

async function navigate(request, url) {
  const kept = PAGES.includes(url.pathname);
  let response;
  try {
    // Only the kept pages have a copy to fall back on; a slow report download must not be cut short.
    response = await (kept ? withPatience(fetch(request)) : fetch(request));
  } catch (e) {
    return kept ? fromCache(request, url) : offlinePage();
  }
  if (response.type === "opaqueredirect") return response;
  const patient = response.headers.get(PATIENT_HEADER);
  if (!patient) {
    // A page nobody is signed in to (the login page, say): health data must not outlive the session.
    await forgetPages();
  } else if (kept && response.status === 200) {
    await keep(PAGE_PREFIX + patient, request, response.clone());
  }
  return response;
}

async function offlinePage() {
  const page = await (await caches.open(SHELL_CACHE)).match(OFFLINE_URL);
  return page || Response.error();
}

async function keep(cacheName, request, response) {
  await forgetPages(cacheName);  // another patient's pages go the moment someone else signs in
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT_HEADER, new Date().toISOString());
  const body = await response.blob();
  const cache = await caches.open(cacheName);
  await cache.put(request.url, new Response(body, { status: 200, statusText: "OK", headers }));
}

async function fromCache(request, url) {
  for (const name of await pageCaches()) {
    const cache = await caches.open(name);
    const hit = (await cache.match(request.url)) || (await cache.match(url.origin + url.pathname, { ignoreSearch: true }));
    if (hit) {
      // The page's script shows the "offline — showing what you saw at …" bar from this attribute.
      const savedAt = hit.headers.get(SAVED_AT_HEADER) || "";
      const html = currentFiles((await hit.text()).replace("<body", `<body data-offline-saved-at="${savedAt}"`));
      return new Response(html, { status: 200, headers: hit.headers });
    }
  }
  return offlinePage();
}

// A page kept before a deploy names the static files of its day, whose names carry a hash of their content
// (app.f5c80b5cca55.css): one whose content has changed since is no longer in the shell, and the page would open
// without its stylesheet or its scripts (and so without the offline queue). Each such name is pointed at the shell's
// file of the same name today: the new version of the same script or stylesheet. A joined file (web/scripts.py)
// that no page loads any more, its page's list of scripts having changed, becomes its scripts one by one, in its
// order, from the shell's copy of each; one that is in the shell no more is left out, and the others still run
// (the offline queue's sender among them).
const HASHED = /\.[0-9a-f]{12}(\.\w+)$/;
const SHELL_BY_NAME = new Map(SHELL.map((path) => [path.replace(HASHED, "$1"), path]));
const JOINED = /^(\/.*\/js\/)bundle\/([a-z0-9_-]+)\.js$/;
function today(path) {
  return SHELL.includes(path) ? path : SHELL_BY_NAME.get(path.replace(HASHED, "$1"));
}
function currentFiles(html) {
  const scripts = html.replace(/<script\b[^>]*\bsrc="([^"]+)"[^>]*><\/script>/g, (tag, path) => {
    if (today(path)) return tag;
    const joined = path.replace(HASHED, "$1").match(JOINED);
    const parts = joined ? joined[2].split("_").map((name) => today(`${joined[1]}${name}.js`)).filter(Boolean) : [];
    return parts.length ? parts.map((part) => tag.replace(path, part)).join("") : tag;
  });
  return scripts.replace(/(src|href)="(\/[^"?#]+)"/g, (attribute, name, path) => {
    const now = today(path);
    return now ? `${name}="${now}"` : attribute;
  });
}

// Background Sync: replay the queue of the patient whose session this browser holds, one at a time.
async function replay() {
  const session = await (await fetch(SESSION_URL, { credentials: "same-origin", cache: "no-store" })).json();
  if (!session.patient) return;
  const result = await self.DiaryQueue.flush(String(session.patient), session.csrf);
  const windows = await self.clients.matchAll({ type: "window" });
  for (const client of windows) client.postMessage({ type: "queue-changed", sent: result.sent, refused: result.refused });
  if (result.left) throw new Error("entries left to send");  // the browser tries again later
}

self.addEventListener("sync", (event) => {
  if (event.tag === self.DiaryQueue.SYNC_TAG) event.waitUntil(replay());
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || NOTIFICATION_TITLE, {
    body: data.body || "There is something in your diary to read",
    icon: ICON,
    badge: ICON,
    tag: data.tag || "diary",
    data: { url: data.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin).href;
  event.waitUntil(focusOrOpen(target));
});

// A tap on a notification opens its page in a window of the diary already open, else in a new one.
async function focusOrOpen(target) {
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    if (client.url.startsWith(self.location.origin) && "focus" in client) {
      return ((await client.navigate(target)) || client).focus();
    }
  }
  return self.clients.openWindow(target);
}
