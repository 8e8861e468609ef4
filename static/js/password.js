// "Show password": a toggle beside every password box of the page, so a long password can be checked
// before it is sent. The box goes back to hidden dots on submit (nothing is kept in plain text).
(() => {
  "use strict";
  for (const input of document.querySelectorAll("input[type=password]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button quiet small show-password";
    button.textContent = "Show password";
    button.setAttribute("aria-pressed", "false");
    if (input.id) button.setAttribute("aria-controls", input.id);
    button.addEventListener("click", () => {
      const shown = input.type === "password";
      input.type = shown ? "text" : "password";
      button.setAttribute("aria-pressed", String(shown));
    });
    input.insertAdjacentElement("afterend", button);
    if (input.form) {
      input.form.addEventListener("submit", () => {
        input.type = "password";
        button.setAttribute("aria-pressed", "false");
      });
    }
  }
})();
