// "Show password": the toggle under every password box, rendered by the page (templates/diary/_field.html) and
// kept unseen until this script makes it work, so nothing moves when it does. A long password can be checked
// before it is sent; the box goes back to hidden dots on submit (nothing is kept in plain text).
(() => {
  "use strict";
  for (const button of document.querySelectorAll("button.show-password[aria-controls]")) {
    const input = document.getElementById(button.getAttribute("aria-controls"));
    if (!input) continue;
    button.addEventListener("click", () => {
      const shown = input.type === "password";
      input.type = shown ? "text" : "password";
      button.setAttribute("aria-pressed", String(shown));
    });
    if (input.form) {
      input.form.addEventListener("submit", () => {
        input.type = "password";
        button.setAttribute("aria-pressed", "false");
      });
    }
    button.classList.add("ready");
  }
})();
