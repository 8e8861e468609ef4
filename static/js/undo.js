// The "Episode saved" confirmation offers Undo for a few seconds, then steps aside.
(() => {
  "use strict";
  const SECONDS = 10;
  for (const note of document.querySelectorAll("[data-just-saved]")) {
    const timer = setTimeout(() => { note.hidden = true; }, SECONDS * 1000);
    // Someone reaching for Undo keeps it: focus or a touch inside stops the countdown.
    note.addEventListener("focusin", () => clearTimeout(timer));
    note.addEventListener("pointerdown", () => clearTimeout(timer));
  }
})();
