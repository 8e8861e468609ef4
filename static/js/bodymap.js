// Leg map: every region is a toggle button (tap, click, Enter or Space) that ticks the matching
// location checkbox; the checkboxes stay in the form, so the form posts the same without JavaScript.
(() => {
  "use strict";
  const { labelOf, sentence } = window.DiaryUtil;

  for (const map of document.querySelectorAll("[data-bodymap]")) {
    const form = map.closest("form");
    const list = form.querySelector(".location-list");
    const readback = map.querySelector("[data-bodymap-readback]");
    const switcher = map.querySelector("[data-bodymap-switch]");
    const boxes = [...form.querySelectorAll("input[name=locations]")];
    const box = (key) => boxes.find((b) => b.value === key);

    // The picture becomes a set of buttons.
    for (const svg of map.querySelectorAll("svg")) {
      svg.removeAttribute("aria-hidden");
      svg.setAttribute("role", "group");
      svg.setAttribute("aria-label", svg.dataset.label);
    }
    for (const shape of map.querySelectorAll(".region")) {
      shape.setAttribute("role", "button");
      shape.setAttribute("tabindex", "0");
      shape.setAttribute("aria-pressed", "false");
    }
    if (list && !list.querySelector(".error")) list.open = false;  // the map is the quick way; the list stays

    const paint = () => {
      for (const shape of map.querySelectorAll(".region")) {
        const input = box(shape.dataset.location);
        shape.setAttribute("aria-pressed", input && input.checked ? "true" : "false");
      }
      for (const part of map.querySelectorAll("[data-mirror]")) {
        const input = box(part.dataset.mirror);
        part.classList.toggle("selected", Boolean(input && input.checked));
      }
      const chosen = boxes.filter((b) => b.checked).map(labelOf);
      if (readback) readback.textContent = sentence(chosen) || "Nothing marked yet.";
    };
    const toggle = (shape) => {
      const input = box(shape.dataset.location);
      if (!input) return;
      input.checked = !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };

    map.addEventListener("click", (event) => {
      const shape = event.target.closest(".region");
      if (shape) toggle(shape);
    });
    map.addEventListener("keydown", (event) => {
      const shape = event.target.closest(".region");
      if (!shape || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();  // Space would scroll the page
      toggle(shape);
    });
    form.addEventListener("change", (event) => {
      if (event.target.name === "locations") paint();
    });
    form.addEventListener("reset", () => setTimeout(paint, 0));
    form.addEventListener("logform:filled", paint);

    // Front and back share one place on a phone; the switch shows one of them.
    if (switcher) {
      const buttons = switcher.querySelectorAll("button[data-show]");
      const views = map.querySelectorAll(".bodymap-view[data-view=front], .bodymap-view[data-view=back]");
      const show = (name) => {
        for (const b of buttons) b.setAttribute("aria-pressed", b.dataset.show === name ? "true" : "false");
        for (const view of views) view.hidden = view.dataset.view !== name;
      };
      switcher.hidden = false;
      map.classList.add("switchable");
      switcher.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-show]");
        if (button) show(button.dataset.show);
      });
      show("front");
    }
    paint();
  }
})();
