// The installable app's page side: registers the service worker, shows the "offline — showing what you
// saw at 14:05" bar on a page the worker served from its copy, clears this phone's copies at logout,
// and offers "Add to home screen" where the browser allows it.
(function () {
  "use strict";
  var patient = document.body.dataset.patient;
  var HINT_DISMISSED = "numbness-diary.install-hint-dismissed";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function offlineBar() {
    var bar = document.getElementById("offline-bar");
    var savedAt = document.body.dataset.offlineSavedAt;
    if (!bar || savedAt === undefined) return;
    var when = new Date(savedAt), now = new Date();
    var text = "offline — showing what you saw";
    if (!isNaN(when.getTime())) {
      if (when.toDateString() !== now.toDateString()) {
        text += " on " + when.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
      }
      text += " at " + pad(when.getHours()) + ":" + pad(when.getMinutes());
    }
    bar.textContent = text;
    bar.hidden = false;
    document.body.classList.add("is-offline");
  }

  // A shared phone: at logout the pages kept for offline use go, and so do the queued entries other
  // patients left here; notifications stop for this device. The logout itself never waits long on this.
  function forgetThisPhone() {
    var work = [];
    if (window.caches) {
      work.push(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("pages-") === 0; }).map(function (k) { return caches.delete(k); }));
      }));
    }
    if (window.DiaryQueue && patient) work.push(window.DiaryQueue.keepOnly(patient));
    if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
      work.push(navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager && registration.pushManager.getSubscription();
      }).then(function (subscription) { return subscription && subscription.unsubscribe(); }));
    }
    var patience = new Promise(function (resolve) { setTimeout(resolve, 3000); });
    return Promise.race([Promise.all(work).catch(function () {}), patience]);
  }
  document.querySelectorAll("form.logout, form[action$='/logout/']").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.cleared) return;
      event.preventDefault();
      forgetThisPhone().then(function () {
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  });

  var hint = document.getElementById("install-hint");
  var deferred = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    if (!hint || localStorage.getItem(HINT_DISMISSED)) return;
    event.preventDefault();  // ours is a small hint on Today instead of the browser's banner
    deferred = event;
    hint.hidden = false;
  });
  if (hint) {
    hint.querySelector("[data-install]").addEventListener("click", function () {
      hint.hidden = true;
      if (deferred) deferred.prompt();
      deferred = null;
    });
    hint.querySelector("[data-install-dismiss]").addEventListener("click", function () {
      hint.hidden = true;
      localStorage.setItem(HINT_DISMISSED, "1");
    });
  }
  window.addEventListener("appinstalled", function () { if (hint) hint.hidden = true; });

  offlineBar();
})();
