// The offline side of the log form, Today's "No numbness today" and "took it" buttons (forms marked data-offline-queue):
// every submission goes into the queue (queue.js) before it is sent, so nothing typed is lost on a bad connection; the header chip says how many entries wait; the queue is
// sent when the page opens, when the phone is back online, and by Background Sync from the worker. An entry the
// server could not take is offered to the page's own warning check ("diary:kept-offline", answered by instant.js).
(() => {
  "use strict";
  const { csrfToken, isoLocal } = window.DiaryUtil;
  const patient = document.body.dataset.patient;
  const Queue = window.DiaryQueue;
  const chip = document.getElementById("queue-chip");
  const toast = document.getElementById("queue-toast");
  const OLD_KEY = "numbness-diary.queue";  // the queue's home before IndexedDB
  const REFUSED = "One entry from this phone could not be saved: please log it again.";

  let toastTimer = null;
  // The confirmation shows for a while beside the Save button; the header chip keeps the count after it.
  const say = (text) => {
    if (!toast) return;
    toast.textContent = text;
    toast.hidden = !text;
    clearTimeout(toastTimer);
    if (text) toastTimer = setTimeout(() => { toast.hidden = true; }, 8000);
  };
  // Resolves to the number of the patient's entries waiting.
  const showCount = async () => {
    const n = await Queue.count(patient);
    if (!chip) return n;
    chip.textContent = n ? `${n} waiting to send` : "";
    chip.hidden = !n;
    if (!n) {  // everything went: "saved on this phone" is no longer true
      for (const note of document.querySelectorAll(".queue-saved")) {
        if (note.dataset.kind === "queued") note.hidden = true;
      }
    }
    return n;
  };
  const askForSync = async () => {
    if (!("serviceWorker" in navigator)) return;
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register(Queue.SYNC_TAG);
    } catch (e) {
      // No Background Sync here: the next page open or "online" event sends the queue.
    }
  };
  const flush = async () => {
    try {
      const result = await Queue.flush(patient, csrfToken());
      if (result.refused) say(REFUSED);
      else if (result.sent && !result.left) say("");
      await showCount();
    } catch (e) {
      // Not sent now; the entries stay queued for the next try.
    }
  };
  // Entries typed before the queue moved to IndexedDB are carried over once.
  const migrate = async () => {
    let old;
    try { old = JSON.parse(localStorage.getItem(OLD_KEY) || "{}"); } catch (e) { old = {}; }
    const ids = Object.keys(old);
    await Promise.all(ids.map((id) => {
      const { url, fields, queuedAt, patient: owner } = old[id];
      return Queue.put({ id, url, fields, queuedAt, patient: owner });
    }));
    if (ids.length) localStorage.removeItem(OLD_KEY);
  };

  const enhance = (form) => {
    const idInput = form.querySelector("input[name=id]");
    const button = form.querySelector("button[type=submit]");
    // The confirmation goes right under the Save button, where the patient is looking.
    const note = document.createElement("p");
    note.className = "queue-saved";
    note.setAttribute("role", "status");
    note.hidden = true;
    if (button) button.insertAdjacentElement("afterend", note); else form.appendChild(note);
    const confirm = (text) => {
      note.textContent = text;
      note.hidden = !text;
      if (text && note.scrollIntoView) note.scrollIntoView({ block: "nearest" });
    };
    // Right after an entry was kept on the phone the form starts again; Save on it unchanged is the same
    // tap again (or a tap too many), not a new entry: nothing more is queued.
    let keptUnchanged = false;
    // A tap that the phone could neither keep nor get an answer for may have been saved all the same (the answer
    // lost on the way): the next tap, its retry, sends the same id, so the server saves it once.
    let unanswered = null;
    form.addEventListener("change", () => { keptUnchanged = false; });
    form.addEventListener("input", () => { keptUnchanged = false; });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (keptUnchanged) {
        confirm("Already kept on this phone: it will be sent when online.");
        return;
      }
      // Reading the form fires "formdata", where logform.js fixes "just now" to the moment of this tap.
      let fields = [...new FormData(form)];
      // The button that sent it may carry the answer (Treatments' "did it help?": one button per answer).
      const submitter = event.submitter;
      if (submitter && submitter.name && !fields.some(([name]) => name === submitter.name)) {
        fields.push([submitter.name, submitter.value]);
      }
      // A button that answers for "today" answers for the day of the tap, even on a page the phone kept from before.
      if (form.querySelector("input[name=date][data-day-of-tap]")) {
        const day = isoLocal(new Date()).slice(0, 10);
        fields = fields.filter(([name]) => name !== "date" && name !== "id");
        fields.push(["date", day], ["id", `checkin-none-${day}`]);
        idInput.value = `checkin-none-${day}`;
      }
      // A tap that logs "now" (Today's "took it") carries the moment of the tap and an id of its own: two uses
      // hours apart on a page kept offline are two doses, while the queue's replays of one keep its id.
      const tapTime = form.querySelector("input[data-time-of-tap]");
      if (tapTime) {
        fields = fields.filter(([name]) => name !== tapTime.name);
        fields.push([tapTime.name, isoLocal(new Date())]);
      }
      if (form.hasAttribute("data-id-per-tap") && window.crypto && crypto.randomUUID) {
        const fresh = unanswered || crypto.randomUUID();
        fields = fields.filter(([name]) => name !== "id");
        fields.push(["id", fresh]);
        idInput.value = fresh;
      }
      const id = idInput.value;
      unanswered = null;
      const entry = { id, url: form.action, fields, queuedAt: Date.now(), patient };
      if (button) button.disabled = true;
      confirm("");
      note.dataset.kind = "";
      // Storage full or turned off: the entry cannot be kept on the phone, so it goes straight to the server, and is
      // said to be unsaved (the form left as typed) if it cannot be sent either.
      let onPhone = true;
      try { await Queue.put(entry); } catch (e) { onPhone = false; }
      try {
        const response = onPhone ? await Queue.sendNow(id, csrfToken()) : await Queue.send(entry, csrfToken());
        if (response === null) {  // a replay sent it already
          window.location.assign("/");
          return;
        }
        if (response.status === 404) {
          if (button) button.disabled = false;
          confirm("This entry could not be saved: please log it again.");
          return;
        }
        if (response.status === 400) {
          form.submit();  // let the server render the form with every message next to its field
          return;
        }
        if (!Queue.saved(response)) throw new Error(`not saved: HTTP ${response.status}`);
        const reply = await response.json();
        window.location.assign(reply.next);  // the warning screen when the entry raised one, else Today
      } catch (e) {
        if (button) button.disabled = false;
        if (!onPhone) {
          unanswered = id;
          confirm("Not saved: this phone could not keep the entry, and it could not be sent now. Please try again.");
          return;
        }
        // Kept for later: the page's own check (instant.js, on the log page) may show a warning screen instead.
        const kept = { entry, shown: null };
        form.dispatchEvent(new CustomEvent("diary:kept-offline", { detail: kept }));
        const warned = kept.shown ? await kept.shown.catch(() => false) : false;
        if (!warned) {
          // A new entry's form starts again (a new id, nothing chosen), so the next entry is a new one and
          // not a change to this one.
          if (form.hasAttribute("data-new-episode")) {
            form.reset();
            keptUnchanged = true;
          }
          confirm("Saved on this phone, will send when online.");
          note.dataset.kind = "queued";
        }
        showCount();
        askForSync();
      }
    });
  };

  if (!patient || !Queue || !window.indexedDB) return;  // signed out: nothing to send, and nobody to send it for
  for (const form of document.querySelectorAll("form[data-offline-queue]")) enhance(form);
  window.addEventListener("online", flush);
  window.addEventListener("diary:queue-changed", showCount);  // an entry removed from its warning screen
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "queue-changed") {
        if (event.data.refused) say(REFUSED);
        showCount();
      }
    });
  }
  const start = async () => {
    await migrate();
    // Nothing waiting, as on most page opens: IndexedDB is not opened (queue.js keeps a note), no lock is taken.
    if (await Queue.empty()) return;
    if (!(await showCount())) return;
    // A page shown from the worker's copy has no server behind it: no point trying now.
    if (navigator.onLine !== false && !document.body.dataset.offlineSavedAt) await flush();
  };
  start();
})();
