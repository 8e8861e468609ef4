// The "Episode saved" confirmation offers Undo for a few seconds, then steps aside.
(function () {
  "use strict";
  var SECONDS = 10;
  document.querySelectorAll("[data-just-saved]").forEach(function (note) {
    var timer = setTimeout(function () { note.hidden = true; }, SECONDS * 1000);
    // Someone reaching for Undo keeps it: focus or a touch inside stops the countdown.
    note.addEventListener("focusin", function () { clearTimeout(timer); });
    note.addEventListener("pointerdown", function () { clearTimeout(timer); });
  });
})();
