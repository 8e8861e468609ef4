// Offline queue: nothing typed into the log form is lost on a bad connection.
// Each submission is kept in localStorage under its episode id until the server confirms it;
// the server treats a repeated id as a replace, so a replay never duplicates an episode.
(function () {
  "use strict";
  var KEY = "numbness-diary.queue";
  var status = document.getElementById("offline-status");
  // Entries belong to the patient who typed them: on a shared phone, another patient's session
  // must never send them.
  var patient = document.body.dataset.patient;

  function loadAll() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function load() {
    var all = loadAll(), mine = {};
    Object.keys(all).forEach(function (id) { if (all[id].patient === patient) mine[id] = all[id]; });
    return mine;
  }
  function store(mine) {
    var all = loadAll();
    Object.keys(all).forEach(function (id) { if (all[id].patient === patient) delete all[id]; });
    Object.keys(mine).forEach(function (id) { all[id] = mine[id]; });
    localStorage.setItem(KEY, JSON.stringify(all));
  }
  function say(text) {
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function pending() { return Object.keys(load()).length; }
  function explainPending() {
    var n = pending();
    say(n ? n + (n === 1 ? " entry is" : " entries are") + " saved on this phone and will be sent when you are online and signed in." : "");
  }

  function send(entry) {
    var body = new FormData();
    // The form's CSRF token may be stale by now (a new login rotates it); the header sends the current one.
    entry.fields.forEach(function (pair) { if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]); });
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    });
  }

  function forget(id) { var q = load(); delete q[id]; store(q); }

  // Saved means the save view answered in JSON. A redirect to the login page (the session
  // ended), a CSRF refusal or a server error keeps the entry for a later try.
  function saved(response) {
    var type = response.headers.get("Content-Type") || "";
    return response.ok && !response.redirected && type.indexOf("application/json") >= 0;
  }
  function refusedForGood(response) { return response.status === 400 || response.status === 404; }

  // One entry at a time, oldest first: the server sees them in the order they were typed.
  function flush() {
    var queue = load();
    var ids = Object.keys(queue).sort(function (a, b) { return queue[a].queuedAt - queue[b].queuedAt; });
    ids.reduce(function (previous, id) {
      return previous.then(function () {
        return send(queue[id]).then(function (response) {
          if (saved(response)) {
            forget(id);
            explainPending();
          } else if (refusedForGood(response)) {
            forget(id);
            say("One entry from this phone could not be saved: please log it again.");
          }
        });
      });
    }, Promise.resolve()).catch(function () { explainPending(); });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoNow() {
    var d = new Date(), off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }

  function enhance(form) {
    var idInput = form.querySelector("input[name=id]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = [];
      new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
      // "Just now" means the moment of this tap, not the moment a delayed replay arrives.
      if (fields.some(function (p) { return p[0] === "when" && p[1] === "now"; })) {
        fields = fields.filter(function (p) { return p[0] !== "when" && p[0] !== "started_at"; });
        fields.push(["when", "earlier"], ["started_at", isoNow()]);
      }
      var entry = { url: form.action, fields: fields, queuedAt: Date.now(), patient: patient };
      var queue = load();
      queue[idInput.value] = entry;
      store(queue);
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      send(entry).then(function (response) {
        if (response.status === 400) {
          forget(idInput.value);
          form.submit();  // let the server render the form with every message next to its field
          return;
        }
        if (!saved(response)) throw new Error("not saved: HTTP " + response.status);
        return response.json().then(function (reply) {
          forget(idInput.value);
          // A warning screen is a page of its own (alert_url): a reload shows it again.
          window.location.assign(reply.alert_url || reply.next);
        });
      }).catch(function () {
        if (button) button.disabled = false;
        explainPending();
      });
    });
  }

  if (!patient) return;  // signed out: nothing to send, and nobody to send it for
  document.querySelectorAll("form[data-offline-queue]").forEach(enhance);
  window.addEventListener("online", flush);
  explainPending();
  if (navigator.onLine !== false) flush();
})();
