// Move focus where the patient should start: the element marked data-focus-on-load (the heading of a
// warning screen), or, on a form sent back with errors (marked data-focus-error), the first field in
// error, scrolled into view with its message, so nobody has to hunt for it 800 px down.
(() => {
  "use strict";
  const target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.focus();
    return;
  }
  const form = document.querySelector("form[data-focus-error]");
  const field = form && form.querySelector(".invalid");
  if (!field) return;
  const input = field.querySelector("input:checked:not([type=hidden]), input:not([type=hidden]), select, textarea");
  if (!input) return;
  field.scrollIntoView({ block: "start" });
  input.focus({ preventScroll: true });
})();
