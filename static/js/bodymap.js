// Leg map: every region is a toggle button (tap, click, Enter or Space) that ticks the matching
// location checkbox; the checkboxes stay in the form, so the form posts the same without JavaScript.
// For the keyboard the map is one stop of the Tab key, a toolbar (WAI-ARIA Authoring Practices) with a
// roving tabindex: the arrow keys move to the nearest place in that direction, Home and End to the first
// and last; the focused place gets a ring of its own, drawn above its neighbours.
(() => {
  "use strict";
  const { labelOf, sentence } = window.DiaryUtil;

  for (const map of document.querySelectorAll("[data-bodymap]")) {
    const form = map.closest("form");
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
    const shapes = [...map.querySelectorAll(".region")];
    for (const shape of shapes) {
      shape.setAttribute("role", "button");
      shape.setAttribute("tabindex", "-1");
      shape.setAttribute("aria-pressed", "false");
    }
    const grid = map.querySelector(".bodymap-grid");
    if (grid) {
      grid.setAttribute("role", "toolbar");
      grid.setAttribute("aria-label", "Leg map: arrow keys move between places, Enter or Space marks one");
    }

    // One place of the map is in the Tab order at a time: the last one focused, if still shown.
    const shown = () => shapes.filter((shape) => !shape.closest(".bodymap-view").hidden);
    const current = () => shapes.find((shape) => shape.tabIndex === 0);
    const makeCurrent = (shape) => {
      for (const other of shapes) other.tabIndex = other === shape ? 0 : -1;
    };
    const keepOneInReach = () => {
      const now = current();
      if (!now || now.closest(".bodymap-view").hidden) makeCurrent(shown()[0]);
    };
    keepOneInReach();

    const centre = (shape) => {
      const box = shape.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    };
    // The nearest shown place in a direction, within 45° of it (more along than aside: ArrowRight from an ankle
    // never climbs to the shin above it); along that axis first, a step aside costs twice as much.
    const DIRECTIONS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
    const nearest = (from, [dx, dy]) => {
      const a = centre(from);
      let best = null;
      let bestScore = Infinity;
      for (const shape of shown()) {
        if (shape === from) continue;
        const b = centre(shape);
        const along = (b.x - a.x) * dx + (b.y - a.y) * dy;
        const aside = Math.abs((b.x - a.x) * dy) + Math.abs((b.y - a.y) * dx);
        if (along <= 1 || aside > along) continue;
        const score = along + 2 * aside;
        if (score < bestScore) [best, bestScore] = [shape, score];
      }
      return best;
    };

    // The focus ring, an outline of the focused shape drawn last in its picture, so no neighbour covers it.
    const rings = new Map();
    for (const svg of map.querySelectorAll("svg")) {
      const ring = document.createElementNS("http://www.w3.org/2000/svg", "path");
      ring.setAttribute("class", "focus-ring");
      ring.setAttribute("aria-hidden", "true");
      svg.appendChild(ring);
      rings.set(svg, ring);
    }
    map.addEventListener("focusin", (event) => {
      const shape = event.target.closest(".region");
      if (!shape) return;
      makeCurrent(shape);
      const ring = rings.get(shape.closest("svg"));
      const outline = shape.querySelector("path");
      if (ring && outline) {
        ring.setAttribute("d", outline.getAttribute("d"));
        ring.classList.toggle("on", shape.matches(":focus-visible"));
      }
    });
    map.addEventListener("focusout", () => {
      for (const ring of rings.values()) ring.classList.remove("on");
    });

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
      if (!shape) return;
      let next = null;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();  // Space would scroll the page
        toggle(shape);
        return;
      }
      if (DIRECTIONS[event.key]) next = nearest(shape, DIRECTIONS[event.key]);
      else if (event.key === "Home") next = shown()[0];
      else if (event.key === "End") next = shown()[shown().length - 1];
      else return;
      event.preventDefault();  // the arrows would scroll the page
      if (next) {
        makeCurrent(next);
        next.focus();
      }
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
        keepOneInReach();
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
