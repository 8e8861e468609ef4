// The installable app's page side: registers the service worker (the only script that does: the others wait
// on window.DiaryApp.ready), shows the "offline — showing what you saw at 14:05" bar on a page the worker
// served from its copy, clears this phone's copies at logout, and offers "Add to home screen" where the
// browser allows it.
(() => {
  "use strict";
  const { clockTime } = window.DiaryUtil;
  // From pwa/_head.html (pwa/templatetags/pwa.py): this script runs inside a bundle, so it has no tag of its own. A page
  // kept offline from before the scripts were joined has no such tag, but loads this script on its own, from a tag
  // with the same two values (the service worker points it at today's file).
  const config = document.querySelector('meta[name="service-worker"]');
  const tag = document.currentScript ? document.currentScript.dataset : {};
  const worker = config ? config.content : tag.worker;
  const pageCachePrefix = config ? config.dataset.pageCachePrefix : tag.pageCachePrefix;
  const patient = document.body.dataset.patient;
  const HINT_DISMISSED = "numbness-diary.install-hint-dismissed";

  // Registered once the page has loaded: on a first visit the worker starts and fetches the whole shell, which
  // should not compete with the page's own scripts, styles and first paint (nothing before `load` needs it).
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", () => resolve(), { once: true });
  });
  const ready = "serviceWorker" in navigator && worker
    ? loaded.then(() => navigator.serviceWorker.register(worker, { scope: "/" }))
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        // An active worker that does not control this page claims it when asked (see the worker's "message").
        if (!navigator.serviceWorker.controller && registration.active) {
          registration.active.postMessage({ type: "claim" });
        }
        return registration;
      })
    : Promise.reject(new Error("no service worker in this browser"));
  ready.catch(() => {});  // the pages work without it
  window.DiaryApp = { ready };

  const offlineBar = () => {
    const bar = document.getElementById("offline-bar");
    const savedAt = document.body.dataset.offlineSavedAt;
    if (!bar || savedAt === undefined) return;
    const when = new Date(savedAt);
    let text = "offline — showing what you saw";
    if (!isNaN(when.getTime())) {
      if (when.toDateString() !== new Date().toDateString()) {
        text += ` on ${when.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" })}`;
      }
      text += ` at ${clockTime(when)}`;
    }
    bar.textContent = text;
    bar.hidden = false;
    document.body.classList.add("is-offline");
  };

  // A shared phone: at logout the pages kept for offline use go, and so do the queued entries other
  // patients left here; notifications stop for this device. The logout itself never waits long on this.
  const forgetPages = async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k.startsWith(pageCachePrefix)).map((k) => caches.delete(k)));
  };
  const stopNotifications = async () => {
    const registration = await navigator.serviceWorker.ready;
    const subscription = registration.pushManager && (await registration.pushManager.getSubscription());
    return subscription && subscription.unsubscribe();
  };
  const forgetThisPhone = () => {
    const work = [];
    if (window.caches && pageCachePrefix) work.push(forgetPages());
    if (window.DiaryQueue && patient) work.push(window.DiaryQueue.keepOnly(patient));
    if ("serviceWorker" in navigator && navigator.serviceWorker.controller) work.push(stopNotifications());
    const patience = new Promise((resolve) => setTimeout(resolve, 3000));
    return Promise.race([Promise.all(work).catch(() => {}), patience]);
  };
  for (const form of document.querySelectorAll("form.logout, form[action$='/logout/']")) {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.cleared) return;
      event.preventDefault();
      await forgetThisPhone();
      form.dataset.cleared = "1";
      form.submit();
    });
  }

  const hint = document.getElementById("install-hint");
  let deferred = null;
  window.addEventListener("beforeinstallprompt", (event) => {
    if (!hint || localStorage.getItem(HINT_DISMISSED)) return;
    event.preventDefault();  // ours is a small hint on Today instead of the browser's banner
    deferred = event;
    hint.hidden = false;
  });
  if (hint) {
    hint.querySelector("[data-install]").addEventListener("click", () => {
      hint.hidden = true;
      if (deferred) deferred.prompt();
      deferred = null;
    });
    hint.querySelector("[data-install-dismiss]").addEventListener("click", () => {
      hint.hidden = true;
      localStorage.setItem(HINT_DISMISSED, "1");
    });
  }
  window.addEventListener("appinstalled", () => { if (hint) hint.hidden = true; });

  offlineBar();
})();
