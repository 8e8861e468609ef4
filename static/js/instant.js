// The phone's own check of the instant warning signs (DESIGN §5), for an entry kept offline: the catalogue's
// emergency and urgent signs come as data inside the log page (made from triage/signs.py by triage/offline.py;
// also served as /app/signs.json, which the service worker keeps with the app shell); when the server could not
// take an entry, offline.js asks here, and an entry that matches a sign gets the same warning screen as the
// server's (triage/alert.html), with the tap-to-call link to the patient's number that this page keeps. The entry
// stays queued and is sent later: the flag opens when it reaches the server. window.DiaryWarnings.evaluate is the
// rule itself, which tests/browser/test_instant_parity.py runs against the Python one.
(() => {
  "use strict";

  // What in the entry matches one sign, in the patient's words, in the detectors' order (triage/detectors.py).
  const own = (sign, entry) => {
    const rule = sign.rule;
    const symptoms = new Set(entry.symptoms);
    const triggers = new Set(entry.triggers);
    const places = new Set(entry.locations);
    const sides = new Set(entry.locations.map((key) => key.split(":")[0]));
    const found = [];
    for (const [code, words] of rule.symptoms) if (symptoms.has(code)) found.push(words);
    for (const [key, words] of rule.places) if (places.has(key)) found.push(words);
    if (sides.size === 2) {
      for (const [code, words] of rule.both_legs_symptoms) if (symptoms.has(code)) found.push(words);
    }
    const together = rule.together;
    if (together && entry.sensations.includes(together.sensation) && symptoms.has(together.symptom)) {
      found.push(together.words);
    }
    for (const [code, words] of rule.triggers) if (triggers.has(code)) found.push(words);
    return found;
  };

  // Every sign the entry matches, with what the patient is told now (triage/advice.py), in the warning
  // screen's order: by the sign's level, then by the level shown. `entry`: {locations: ["left:saddle"],
  // sensations, triggers, symptoms, started, saved} with ISO 8601 times; `number`: the emergency number.
  const evaluate = (catalogue, entry, number) => {
    const byCode = new Map(catalogue.signs.map((sign) => [sign.code, sign]));
    const order = catalogue.level_order;
    const found = [];
    for (const sign of catalogue.signs) {
      const matched = own(sign, entry);
      if (!matched.length) continue;
      if (sign.rule.unless && own(byCode.get(sign.rule.unless), entry).length) continue;
      const late = Boolean(sign.late) && Date.parse(entry.saved) - Date.parse(entry.started) > sign.late.after_seconds * 1000;
      const advice = late ? sign.late.advice : sign.advice;
      const hit = {
        code: sign.code,
        level: advice.level,
        title: advice.title,
        message: advice.message.split("{number}").join(number),
        matched,
        late_entry: late,
        sources: sign.sources,
      };
      found.push({ hit, signLevel: sign.advice.level });
    }
    found.sort((a, b) => order[a.signLevel] - order[b.signLevel]);  // the detectors' order (stable sorts)
    found.sort((a, b) => order[a.hit.level] - order[b.hit.level]);  // then the screen's, by the level shown
    return found.map(({ hit }) => hit);
  };

  // The entry as the log form sent it (the queue keeps the form's fields), checked at the moment it was kept.
  // When it started, as the server reads the form (diary/forms.py LogForm.clean): "Just now" and "N min ago" count
  // back from the tap on Save (tapped_at, with the phone's offset); "Earlier" is its own box. The box holds the time
  // the page was opened whatever is chosen, so reading it for "Just now" would date a form left open an hour early.
  const startOf = (all) => {
    const when = all("when")[0];
    const tap = Date.parse(all("tapped_at")[0] || "");
    const ago = when === "now" ? 0 : /^\d+$/.test(when || "") ? parseInt(when, 10) : NaN;
    if (!Number.isNaN(ago) && !Number.isNaN(tap)) return new Date(tap - ago * 60000).toISOString();
    return all("started_at")[0] || "";  // with the phone's offset (logform.js), or the phone's local time
  };
  const entryOf = (fields, savedAt) => {
    const all = (name) => fields.filter(([key]) => key === name).map(([, value]) => value);
    return {
      locations: all("locations"),
      sensations: all("sensations"),
      triggers: all("triggers"),
      symptoms: [...all("alarm_symptoms"), ...all("other_symptoms")],
      started: startOf(all),
      saved: new Date(savedAt).toISOString(),
    };
  };

  window.DiaryWarnings = { evaluate, entryOf };

  const screenTemplate = document.getElementById("offline-warning");
  const signTemplate = document.getElementById("offline-warning-sign");
  const removedTemplate = document.getElementById("offline-warning-removed");
  const form = document.querySelector(".log-form");
  if (!screenTemplate || !signTemplate || !form) return;
  const number = screenTemplate.dataset.number;
  // The signs are read the first time an entry is kept offline, never when the page opens (a page open asks nothing
  // of the network for them). The worker's copy of /app/signs.json comes first: it is local (no network, it cannot
  // hang), and it is the copy the worker keeps with today's scripts, which run a log page it kept (sw.js,
  // currentFiles), as this check did before the page carried the signs. The page's own copy (triage/offline.py) is
  // next: for a first visit with no worker yet, and for a copy this script cannot read. A log page kept from before
  // it carried the signs has only the address: it reads them when it opens, online or from the worker's copy.
  const inPage = document.getElementById("instant-signs");
  const address = screenTemplate.dataset.signs;
  const fetched = inPage ? null : fetch(address, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  const copies = async () => {
    const found = [];
    try {
      const kept = window.caches && address ? await window.caches.match(address) : null;
      if (kept) found.push(await kept.json());
    } catch (e) { /* no copy kept by the worker, or one that does not read */ }
    if (inPage) {
      try { found.push(JSON.parse(inPage.textContent)); } catch (e) { /* then the worker's copy alone */ }
    } else {
      found.push(await fetched);
    }
    return found.filter(Boolean);
  };

  const fill = (element, selector, text) => { element.querySelector(selector).textContent = text; };
  const sources = (section, hit) => {
    const basedOn = section.querySelector("[data-based-on]");
    const background = section.querySelector("[data-background]");
    const pages = hit.sources.filter((s) => !s.background);
    const reading = hit.sources.filter((s) => s.background);
    basedOn.append("Based on: ");
    pages.forEach((source, i) => {
      const link = document.createElement("a");
      link.href = source.url;
      link.rel = "noopener noreferrer";
      link.textContent = source.title;
      basedOn.append(link, ` (${source.publisher})${i < pages.length - 1 ? "; " : "."}`);
    });
    if (!reading.length) { background.remove(); return; }
    background.append("Background reading: ");
    reading.forEach((source, i) => {
      const cite = document.createElement("cite");
      cite.textContent = source.title;
      background.append(cite, ` (${source.publisher})${i < reading.length - 1 ? "; " : "."}`);
    });
  };

  const show = (data, hits, entry, id) => {
    const screen = screenTemplate.content.firstElementChild.cloneNode(true);
    const action = data.actions[hits[0].level];
    fill(screen, "[data-action]", action);
    const started = new Date(entry.started);
    if (!isNaN(started.getTime())) {
      // The server's page says the same (triage/alert.html), its time rewritten by localtime.js with the same helper.
      const { isoLocal, localDate } = window.DiaryUtil;
      fill(screen, "[data-about]", `About the episode that started ${localDate(isoLocal(started), "day-time")}`);
    }
    const list = screen.querySelector("[data-alerts]");
    hits.forEach((hit, i) => {
      const section = signTemplate.content.firstElementChild.cloneNode(true);
      section.classList.add(`alert-${hit.level}`);
      section.setAttribute("aria-labelledby", `alert-${i + 1}`);
      section.querySelector("h3").id = `alert-${i + 1}`;
      fill(section, "[data-title]", hit.title);
      fill(section, "[data-matched]", `You logged: ${hit.matched.join(", ")}.`);
      fill(section, "[data-message]", hit.message);
      const call = section.querySelector("[data-call]");
      if (hit.level === "emergency") {
        call.href = `tel:${number}`;
        fill(call, "span", `Call ${number} now`);
      } else {
        call.remove();
      }
      sources(section, hit);
      list.append(section);
    });
    screen.querySelector("[data-remove]").addEventListener("click", async () => {
      await window.DiaryQueue.remove(id);
      window.dispatchEvent(new Event("diary:queue-changed"));
      const removed = removedTemplate.content.firstElementChild.cloneNode(true);
      screen.replaceWith(removed);
      removed.querySelector("h2").focus();
    });
    document.querySelector("main").replaceChildren(screen);
    document.title = `${action} · ${document.title.split(" · ").pop()}`;
    window.scrollTo(0, 0);
    screen.querySelector("h2").focus();
  };

  // offline.js asks when the server could not take an entry: the answer says whether a warning screen is shown.
  form.addEventListener("diary:kept-offline", (event) => {
    const { entry: kept } = event.detail;
    event.detail.shown = copies().then((all) => {
      const entry = entryOf(kept.fields, kept.queuedAt);
      for (const data of all) {
        try {
          const hits = evaluate(data, entry, number);
          if (!hits.length) return false;
          show(data, hits, entry, kept.id);
          return true;
        } catch (e) {
          // A copy of another shape than this script reads: the next one.
        }
      }
      return false;
    });
  });
})();
