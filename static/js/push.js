// Settings: turn notifications on or off for this device (Web Push). Without them, reminders come by email.
(function () {
  "use strict";
  var section = document.getElementById("push-settings");
  if (!section) return;
  var button = section.querySelector("[data-push-toggle]");
  var state = section.querySelector("[data-push-state]");
  var key = section.dataset.vapidKey;

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (response) {
      if (!response.ok || response.redirected) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }
  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    return Uint8Array.from(text, function (c) { return c.charCodeAt(0); });
  }
  function show(on, text) {
    button.hidden = false;
    button.disabled = false;
    button.textContent = on ? "Turn off notifications" : "Turn on notifications";
    button.dataset.on = on ? "1" : "";
    state.textContent = text || (on ? "Notifications are on for this phone." : "Notifications are off: reminders come by email.");
  }
  if (!key) {
    state.textContent = "Notifications are not set up on this server: reminders come by email.";
    return;
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    state.textContent = "This browser cannot show notifications: reminders come by email.";
    return;
  }
  var ready = navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () { return navigator.serviceWorker.ready; });

  function turnOn() {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("permission " + permission);
      return ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
    }).then(function (subscription) {
      return post(section.dataset.subscribeUrl, subscription.toJSON());
    }).then(function () { show(true); }, function () {
      show(false, "Notifications could not be turned on in this browser (check its permission for this site): reminders come by email.");
    });
  }
  function turnOff() {
    return ready.then(function (registration) { return registration.pushManager.getSubscription(); })
      .then(function (subscription) {
        if (!subscription) return null;
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () { return post(section.dataset.unsubscribeUrl, { endpoint: endpoint }); });
      })
      .then(function () { show(false); }, function () { show(false); });
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    (button.dataset.on ? turnOff() : turnOn());
  });
  ready.then(function (registration) { return registration.pushManager.getSubscription(); }).then(function (subscription) {
    if (!subscription) return show(false);
    // The server may have dropped it (the push service said it was gone): tell it again.
    return post(section.dataset.subscribeUrl, subscription.toJSON()).then(function () { show(true); }, function () { show(true); });
  }).catch(function () { show(false); });
})();
