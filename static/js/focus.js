// Move focus to the element marked data-focus-on-load (the heading of a warning screen), so a
// screen reader starts reading there and a keyboard starts from there.
(() => {
  "use strict";
  const target = document.querySelector("[data-focus-on-load]");
  if (target) target.focus();
})();
