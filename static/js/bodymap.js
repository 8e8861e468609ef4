// Leg map: every region is a toggle button (tap, click, Enter or Space) that ticks the matching
// location checkbox; the checkboxes stay in the form, so the form posts the same without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("[data-bodymap]").forEach(function (map) {
    var form = map.closest("form");
    var list = form.querySelector(".location-list");
    var readback = map.querySelector("[data-bodymap-readback]");
    var switcher = map.querySelector("[data-bodymap-switch]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=locations]"));

    function box(key) {
      for (var i = 0; i < boxes.length; i++) if (boxes[i].value === key) return boxes[i];
      return null;
    }
    function labelOf(input) {
      var label = input.closest("label");
      return label ? label.textContent.trim() : input.value;
    }

    // The picture becomes a set of buttons.
    map.querySelectorAll("svg").forEach(function (svg) {
      svg.removeAttribute("aria-hidden");
      svg.setAttribute("role", "group");
      svg.setAttribute("aria-label", svg.dataset.label);
    });
    map.querySelectorAll(".region").forEach(function (shape) {
      shape.setAttribute("role", "button");
      shape.setAttribute("tabindex", "0");
      shape.setAttribute("aria-pressed", "false");
    });
    if (list && !list.querySelector(".error")) list.open = false;  // the map is the quick way; the list stays

    function paint() {
      map.querySelectorAll(".region").forEach(function (shape) {
        var input = box(shape.dataset.location);
        shape.setAttribute("aria-pressed", input && input.checked ? "true" : "false");
      });
      map.querySelectorAll("[data-mirror]").forEach(function (part) {
        var input = box(part.dataset.mirror);
        part.classList.toggle("selected", !!(input && input.checked));
      });
      var chosen = boxes.filter(function (b) { return b.checked; }).map(labelOf);
      var text = chosen.map(function (label, i) { return i ? label.toLowerCase() : label; }).join(", ");
      if (readback) readback.textContent = text || "Nothing marked yet.";
    }
    function toggle(shape) {
      var input = box(shape.dataset.location);
      if (!input) return;
      input.checked = !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    map.addEventListener("click", function (event) {
      var shape = event.target.closest(".region");
      if (shape) toggle(shape);
    });
    map.addEventListener("keydown", function (event) {
      var shape = event.target.closest(".region");
      if (!shape || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();  // Space would scroll the page
      toggle(shape);
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "locations") paint();
    });
    form.addEventListener("reset", function () { setTimeout(paint, 0); });
    form.addEventListener("logform:filled", paint);

    // Front and back share one place on a phone; the switch shows one of them.
    if (switcher) {
      var buttons = switcher.querySelectorAll("button[data-show]");
      var show = function (name) {
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.show === name ? "true" : "false"); });
        map.querySelectorAll(".bodymap-view[data-view=front], .bodymap-view[data-view=back]").forEach(function (view) {
          view.hidden = view.dataset.view !== name;
        });
      };
      switcher.hidden = false;
      map.classList.add("switchable");
      switcher.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-show]");
        if (button) show(button.dataset.show);
      });
      show("front");
    }
    paint();
  });
})();
