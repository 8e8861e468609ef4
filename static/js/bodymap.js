// Body map: tapping a region of the leg diagram ticks the matching location checkbox.
(function () {
  "use strict";
  document.querySelectorAll("[data-bodymap]").forEach(function (map) {
    var form = map.closest("form");
    var list = form.querySelector(".location-list");
    if (list) list.open = false;  // the diagram is the quick way; the list stays for keyboards

    function box(key) { return form.querySelector('input[name=locations][value="' + key + '"]'); }
    function paint() {
      map.querySelectorAll(".region").forEach(function (shape) {
        var input = box(shape.dataset.location);
        shape.classList.toggle("selected", !!(input && input.checked));
      });
    }
    map.addEventListener("click", function (event) {
      var shape = event.target.closest(".region");
      if (!shape) return;
      var input = box(shape.dataset.location);
      if (!input) return;
      input.checked = !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "locations") paint();
    });
    paint();
  });
})();
