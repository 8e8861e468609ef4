// The offline side of the log form and of Today's "No numbness today" button (forms marked data-offline-queue):
// every submission goes into the queue (queue.js) before it is sent, so nothing typed is lost on a bad connection; the header chip says how many entries wait; the queue is
// sent when the page opens, when the phone is back online, and by Background Sync from the worker.
(function () {
  "use strict";
  var patient = document.body.dataset.patient;
  var Queue = window.DiaryQueue;
  var chip = document.getElementById("queue-chip");
  var toast = document.getElementById("queue-toast");
  var OLD_KEY = "numbness-diary.queue";  // the queue's home before IndexedDB

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  var toastTimer = null;
  // The confirmation shows for a while beside the Save button; the header chip keeps the count after it.
  function say(text) {
    if (!toast) return;
    toast.textContent = text;
    toast.hidden = !text;
    clearTimeout(toastTimer);
    if (text) toastTimer = setTimeout(function () { toast.hidden = true; }, 8000);
  }
  function showCount() {
    return Queue.count(patient).then(function (n) {
      if (!chip) return;
      chip.textContent = n ? n + " waiting to send" : "";
      chip.hidden = !n;
      if (!n) {  // everything went: "saved on this phone" is no longer true
        document.querySelectorAll(".queue-saved").forEach(function (note) {
          if (note.dataset.kind === "queued") note.hidden = true;
        });
      }
    });
  }
  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(Queue.SYNC_TAG);
    }).catch(function () {});
  }
  function flush() {
    return Queue.flush(patient, csrf()).then(function (result) {
      if (result.refused) say("One entry from this phone could not be saved: please log it again.");
      else if (result.sent && !result.left) say("");
      return showCount();
    }).catch(function () {});
  }
  // Entries typed before the queue moved to IndexedDB are carried over once.
  function migrate() {
    var old;
    try { old = JSON.parse(localStorage.getItem(OLD_KEY) || "{}"); } catch (e) { old = {}; }
    var ids = Object.keys(old);
    return Promise.all(ids.map(function (id) {
      var e = old[id];
      return Queue.put({ id: id, url: e.url, fields: e.fields, queuedAt: e.queuedAt, patient: e.patient });
    })).then(function () { if (ids.length) localStorage.removeItem(OLD_KEY); });
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
    var button = form.querySelector("button[type=submit]");
    // The confirmation goes right under the Save button, where the patient is looking.
    var note = document.createElement("p");
    note.className = "queue-saved";
    note.setAttribute("role", "status");
    note.hidden = true;
    if (button) button.insertAdjacentElement("afterend", note); else form.appendChild(note);
    function confirm(text) {
      note.textContent = text;
      note.hidden = !text;
      if (text && note.scrollIntoView) note.scrollIntoView({ block: "nearest" });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = [];
      new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
      // "Just now" means the moment of this tap, not the moment a delayed replay arrives.
      if (fields.some(function (p) { return p[0] === "when" && p[1] === "now"; })) {
        fields = fields.filter(function (p) { return p[0] !== "when" && p[0] !== "started_at"; });
        fields.push(["when", "earlier"], ["started_at", isoNow()]);
      }
      // A button that answers for "today" answers for the day of the tap, even on a page the phone kept from before.
      var dayField = form.querySelector("input[name=date][data-day-of-tap]");
      if (dayField) {
        var day = isoNow().slice(0, 10);
        fields = fields.filter(function (p) { return p[0] !== "date" && p[0] !== "id"; });
        fields.push(["date", day], ["id", "checkin-none-" + day]);
        idInput.value = "checkin-none-" + day;
      }
      var id = idInput.value;
      var entry = { id: id, url: form.action, fields: fields, queuedAt: Date.now(), patient: patient };
      if (button) button.disabled = true;
      confirm("");
      note.dataset.kind = "";
      Queue.put(entry).then(function () {
        return Queue.sendNow(id, csrf());
      }).then(function (response) {
        if (response === null) { window.location.assign("/"); return; }  // a replay sent it already
        if (response.status === 404) {
          if (button) button.disabled = false;
          confirm("This entry could not be saved: please log it again.");
          return;
        }
        if (response.status === 400) {
          form.submit();  // let the server render the form with every message next to its field
          return;
        }
        if (!Queue.saved(response)) throw new Error("not saved: HTTP " + response.status);
        return response.json().then(function (reply) {
          window.location.assign(reply.next);  // the warning screen when the entry raised one, else Today
        });
      }).catch(function () {
        if (button) button.disabled = false;
        confirm("Saved on this phone, will send when online.");
        note.dataset.kind = "queued";
        showCount();
        askForSync();
      });
    });
  }

  if (!patient || !Queue || !window.indexedDB) return;  // signed out: nothing to send, and nobody to send it for
  // The chip lives in the header; as soon as the header starts to scroll away the chip floats, so it stays in sight.
  var header = chip && chip.closest("header");
  if (header) {
    var place = function () { chip.classList.toggle("is-floating", header.getBoundingClientRect().top < 0); };
    window.addEventListener("scroll", place, { passive: true });
    window.addEventListener("resize", place);
    requestAnimationFrame(place);  // measured with the first frame's layout, not by forcing one during load
  }
  document.querySelectorAll("form[data-offline-queue]").forEach(enhance);
  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "queue-changed") {
        if (event.data.refused) say("One entry from this phone could not be saved: please log it again.");
        showCount();
      }
    });
  }
  migrate().then(showCount).then(function () {
    // A page shown from the worker's copy has no server behind it: no point trying now.
    if (navigator.onLine !== false && !document.body.dataset.offlineSavedAt) return flush();
  });
})();
