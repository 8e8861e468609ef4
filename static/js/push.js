// Settings: turn notifications on or off for this device (Web Push). Without them, reminders come by email.
(() => {
  "use strict";
  const section = document.getElementById("push-settings");
  if (!section) return;
  const button = section.querySelector("[data-push-toggle]");
  const state = section.querySelector("[data-push-state]");
  const key = section.dataset.vapidKey;
  const { csrfToken } = window.DiaryUtil;

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
    });
    if (!response.ok || response.redirected) throw new Error(`HTTP ${response.status}`);
    return response.json();
  };
  const keyBytes = (base64url) => {
    const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  };
  const show = (on, text) => {
    button.hidden = false;
    button.disabled = false;
    button.textContent = on ? "Turn off notifications" : "Turn on notifications";
    button.dataset.on = on ? "1" : "";
    state.textContent = text || (on ? "Notifications are on for this phone." : "Notifications are off: reminders come by email.");
  };
  if (!key) {
    state.textContent = "Notifications are not set up on this server: reminders come by email.";
    return;
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    state.textContent = "This browser cannot show notifications: reminders come by email.";
    return;
  }
  const { ready } = window.DiaryApp;  // pwa.js registers the worker

  const turnOn = async () => {
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") throw new Error(`permission ${permission}`);
      const registration = await ready;
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      await post(section.dataset.subscribeUrl, subscription.toJSON());
      show(true);
    } catch (e) {
      show(false, "Notifications could not be turned on in this browser (check its permission for this site): reminders come by email.");
    }
  };
  const turnOff = async () => {
    try {
      const registration = await ready;
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        const { endpoint } = subscription;
        await subscription.unsubscribe();
        await post(section.dataset.unsubscribeUrl, { endpoint });
      }
    } catch (e) {
      // Shown as off either way: turning them on again subscribes afresh.
    }
    show(false);
  };
  button.addEventListener("click", () => {
    button.disabled = true;
    if (button.dataset.on) turnOff(); else turnOn();
  });
  const showCurrent = async () => {
    try {
      const registration = await ready;
      const subscription = await registration.pushManager.getSubscription();
      if (!subscription) {
        show(false);
        return;
      }
      // The server may have dropped it (the push service said it was gone): tell it again.
      try { await post(section.dataset.subscribeUrl, subscription.toJSON()); } catch (e) { /* still on here */ }
      show(true);
    } catch (e) {
      show(false);
    }
  };
  showCurrent();
})();
