// Offline queue: nothing typed into the log form is lost on a bad connection.
// Each submission is kept in localStorage under its episode id until the server confirms it;
// the server treats a repeated id as a replace, so a replay never duplicates an episode.
(function () {
  "use strict";
  var KEY = "numbness-diary.queue";
  var status = document.getElementById("offline-status");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function store(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }
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
    say(n ? n + (n === 1 ? " entry is" : " entries are") + " saved on this phone and will be sent when you are online." : "");
  }

  function send(entry) {
    var body = new FormData();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    });
  }

  function forget(id) { var q = load(); delete q[id]; store(q); }

  function flush() {
    var queue = load();
    Object.keys(queue).forEach(function (id) {
      send(queue[id]).then(function (response) {
        if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)) {
          // Saved, or refused for good (the reply says why on the log page); either way, done.
          forget(id);
          if (!response.ok) say("One entry from this phone could not be saved: please log it again.");
          else explainPending();
        }
      }).catch(function () { explainPending(); });
    });
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
      var entry = { url: form.action, fields: fields, queuedAt: Date.now() };
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
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(function (reply) {
          forget(idInput.value);
          if (reply.alerts_html) {
            document.getElementById("main").innerHTML = reply.alerts_html;
            window.scrollTo(0, 0);
          } else {
            window.location.assign(reply.next);
          }
        });
      }).catch(function () {
        if (button) button.disabled = false;
        explainPending();
      });
    });
  }

  document.querySelectorAll("form[data-offline-queue]").forEach(enhance);
  window.addEventListener("online", flush);
  explainPending();
  if (navigator.onLine !== false) flush();
})();
