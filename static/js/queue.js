// The offline queue, in IndexedDB so that both the pages and the service worker can reach it.
// Each entry is one log-form submission kept under its episode id until the server confirms it.
// The server treats a repeated id as a replace, so a replay never duplicates an episode.
// Loaded by the pages (offline.js uses it) and by the service worker (importScripts).
(function (scope) {
  "use strict";
  var DB_NAME = "numbness-diary", STORE = "entries", LOCK = "numbness-diary-queue";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        var store = tx.objectStore(STORE);
        work(store, function (value) { result = value; });
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function all() {
    return run("readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () { done(request.result); };
    });
  }
  // Entries belong to the patient who typed them: on a shared phone, another patient's session never sends them.
  function mine(patient) {
    return all().then(function (entries) {
      return entries.filter(function (e) { return e.patient === patient; })
        .sort(function (a, b) { return a.queuedAt - b.queuedAt; });
    });
  }
  function put(entry) { return run("readwrite", function (store) { store.put(entry); }); }
  function remove(id) { return run("readwrite", function (store) { store.delete(id); }); }
  function get(id) {
    return run("readonly", function (store, done) {
      var request = store.get(id);
      request.onsuccess = function () { done(request.result); };
    });
  }
  function count(patient) { return mine(patient).then(function (entries) { return entries.length; }); }
  // On logout: entries that other patients left on this phone go; the leaving patient's own stay for their next sign-in.
  function keepOnly(patient) {
    return run("readwrite", function (store) {
      var request = store.openCursor();
      request.onsuccess = function () {
        var cursor = request.result;
        if (!cursor) return;
        if (cursor.value.patient !== patient) cursor.delete();
        cursor.continue();
      };
    });
  }

  function send(entry, csrf) {
    var body = new FormData();
    // The form's CSRF token may be stale by now (a new login rotates it); the header sends the current one.
    entry.fields.forEach(function (pair) { if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]); });
    return fetch(entry.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    });
  }
  // Saved means the save view answered in JSON. A redirect to the login page (the session ended),
  // a CSRF refusal or a server error keeps the entry for a later try.
  function saved(response) {
    var type = response.headers.get("Content-Type") || "";
    return response.ok && !response.redirected && type.indexOf("application/json") >= 0;
  }
  function refusedForGood(response) { return response.status === 400 || response.status === 404; }

  // One sender at a time across every tab and the service worker.
  function exclusive(work) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, work) : work();
  }

  // Send one entry now if it is still waiting (a replay elsewhere may have sent it meanwhile).
  // Resolves to the server's response, or null when it was already sent; rejects when there is no network.
  function sendNow(id, csrf) {
    return exclusive(function () {
      return get(id).then(function (entry) {
        if (!entry) return null;
        return send(entry, csrf).then(function (response) {
          if (saved(response) || refusedForGood(response)) return remove(id).then(function () { return response; });
          return response;
        });
      });
    });
  }

  // The patient's entries, oldest first, one at a time: the server sees them in the order they were typed.
  // Stops at the first that cannot be sent, so the order holds on the next try.
  function flush(patient, csrf) {
    return exclusive(function () {
      var result = { sent: 0, refused: 0, left: 0 };
      return mine(patient).then(function (entries) {
        result.left = entries.length;
        return entries.reduce(function (previous, entry) {
          return previous.then(function (go) {
            if (!go) return false;
            return send(entry, csrf).then(function (response) {
              if (saved(response)) result.sent += 1;
              else if (refusedForGood(response)) result.refused += 1;
              else return false;
              result.left -= 1;
              return remove(entry.id).then(function () { return true; });
            }, function () { return false; });
          });
        }, Promise.resolve(true));
      }).then(function () { return result; });
    });
  }

  scope.DiaryQueue = {
    SYNC_TAG: "diary-queue", put: put, remove: remove, mine: mine, count: count, keepOnly: keepOnly,
    sendNow: sendNow, flush: flush, saved: saved
  };
})(self);
