// The offline queue, in IndexedDB so that both the pages and the service worker can reach it.
// Each entry is one log-form submission kept under its episode id until the server confirms it.
// The server treats a repeated id as a replace, so a replay never duplicates an episode.
// Loaded by the pages (offline.js uses it) and by the service worker (importScripts).
((scope) => {
  "use strict";
  const DB_NAME = "numbness-diary";
  const STORE = "entries";
  const LOCK = "numbness-diary-queue";

  const open = () => new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => { request.result.createObjectStore(STORE, { keyPath: "id" }); };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  // One transaction: `work` gets the store and a `done` that sets the result; resolves once it commits.
  const run = async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      let result;
      work(tx.objectStore(STORE), (value) => { result = value; });
      tx.oncomplete = () => { db.close(); resolve(result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    });
  };
  const all = () => run("readonly", (store, done) => {
    const request = store.getAll();
    request.onsuccess = () => done(request.result);
  });
  // Entries belong to the patient who typed them: on a shared phone, another patient's session never sends them.
  const mine = async (patient) => {
    const entries = await all();
    return entries.filter((e) => e.patient === patient).sort((a, b) => a.queuedAt - b.queuedAt);
  };
  // Whether a page need look in the queue at all, kept in localStorage (pages only: the service worker sends and
  // removes entries, never adds one). "empty <time>" once a page found nothing waiting, anyone's; a new "queued …"
  // value before an entry is written and again once it is. Most page opens read a recent "empty" and never open
  // IndexedDB (on a phone's processor, opening it is a good part of what a page's scripts cost at load). An "empty"
  // is trusted for ten minutes only, long enough for the pages of one visit to the app: a page of the version before
  // this note (still open, or served by the old worker while the new one installs) queues without writing it, and
  // such an entry, or a miss nobody foresaw, waits ten minutes at most before the next page open looks and sends it.
  // No value at all (a first visit, storage cleared, entries left by that version): the page looks, unless the
  // browser lists its databases and ours is not one.
  const STATE = "numbness-diary.queue-state";
  const TRUST_EMPTY_MS = 10 * 60 * 1000;
  const NOTE_LOCK = "numbness-diary-queue-note";  // a write and a look that may write "empty" never overlap
  const notes = () => {
    try { return scope.localStorage || null; } catch (e) { return null; }  // storage turned off: always look
  };
  const note = (value) => {
    const store = notes();
    if (!store) return;
    try { store.setItem(STATE, value); } catch (e) {
      try { store.removeItem(STATE); } catch (e2) { /* then the state reads as unknown, and pages look */ }
    }
  };
  const read = () => {
    const store = notes();
    try { return store ? store.getItem(STATE) : undefined; } catch (e) { return undefined; }
  };
  const saidEmpty = (value) => {
    const [word, at] = String(value).split(" ");
    const age = Date.now() - Number(at);
    return word === "empty" && age >= 0 && age < TRUST_EMPTY_MS;
  };
  const noted = (work) => {
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(NOTE_LOCK, work) : work();
  };
  const listed = async () => {
    if (!indexedDB.databases) return true;
    try { return (await indexedDB.databases()).some((db) => db.name === DB_NAME); } catch (e) { return true; }
  };
  // Resolves to true when nothing waits in the queue, anyone's: without opening IndexedDB when a recent note says so,
  // else by looking, and the note is written for the next pages unless an entry was queued meanwhile.
  const empty = async () => {
    if (saidEmpty(read())) return true;
    return noted(async () => {
      const seen = read();  // undefined: no storage to keep a note in
      const nothing = seen === null && !(await listed()) ? true : (await all()).length === 0;
      if (nothing && seen !== undefined && read() === seen) note(`empty ${Date.now()}`);
      return nothing;
    });
  };
  // The note changes before the entry is written (a note without its entry costs the next page one look; an entry
  // under "empty" would wait unseen) and again once it is (a page elsewhere that wrote "empty" meanwhile is overruled).
  const queuedNote = () => `queued ${Date.now()} ${Math.random()}`;
  const put = (entry) => noted(async () => {
    note(queuedNote());
    await run("readwrite", (store) => { store.put(entry); });
    note(queuedNote());
  });
  const remove = (id) => run("readwrite", (store) => { store.delete(id); });
  const get = (id) => run("readonly", (store, done) => {
    const request = store.get(id);
    request.onsuccess = () => done(request.result);
  });
  const count = async (patient) => (await mine(patient)).length;
  // On logout: entries that other patients left on this phone go; the leaving patient's own stay for their next sign-in.
  const keepOnly = (patient) => run("readwrite", (store) => {
    const request = store.openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      if (cursor.value.patient !== patient) cursor.delete();
      cursor.continue();
    };
  });

  const send = (entry, csrf) => {
    const body = new FormData();
    // The form's CSRF token may be stale by now (a new login rotates it); the header sends the current one.
    for (const [name, value] of entry.fields) {
      if (name !== "csrfmiddlewaretoken") body.append(name, value);
    }
    return fetch(entry.url, {
      method: "POST", body, credentials: "same-origin", redirect: "follow",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
    });
  };
  // Saved means the save view answered in JSON. A redirect to the login page (the session ended),
  // a CSRF refusal or a server error keeps the entry for a later try.
  const saved = (response) => {
    const type = response.headers.get("Content-Type") || "";
    return response.ok && !response.redirected && type.includes("application/json");
  };
  const refusedForGood = (response) => response.status === 400 || response.status === 404;

  // One sender at a time across every tab and the service worker.
  const exclusive = (work) => {
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, work) : work();
  };

  // Send one entry now if it is still waiting (a replay elsewhere may have sent it meanwhile).
  // Resolves to the server's response, or null when it was already sent; rejects when there is no network.
  const sendNow = (id, csrf) => exclusive(async () => {
    const entry = await get(id);
    if (!entry) return null;
    const response = await send(entry, csrf);
    if (saved(response) || refusedForGood(response)) await remove(id);
    return response;
  });

  // The patient's entries, oldest first, one at a time: the server sees them in the order they were typed.
  // Stops at the first that cannot be sent, so the order holds on the next try.
  const flush = (patient, csrf) => exclusive(async () => {
    const entries = await mine(patient);
    const result = { sent: 0, refused: 0, left: entries.length };
    for (const entry of entries) {
      let response;
      try {
        response = await send(entry, csrf);
      } catch (e) {
        break;  // no network
      }
      if (saved(response)) result.sent += 1;
      else if (refusedForGood(response)) result.refused += 1;
      else break;
      result.left -= 1;
      await remove(entry.id);
    }
    return result;
  });

  scope.DiaryQueue = { SYNC_TAG: "diary-queue", put, remove, mine, count, empty, keepOnly, send, sendNow, flush, saved };
})(self);
