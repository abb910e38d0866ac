// Conditional questions: shown only when the answer that needs them is chosen.
// Without JavaScript every question shows, so nothing is ever out of reach.
// (GOV.UK Frontend's own reveal puts aria-expanded on the radio, which axe-core
// reports as an ARIA attribute a radio may not have; it does that to any radio
// with aria-controls, so this script sets no ARIA attributes at all.)
(function () {
  "use strict";
  var triggers = document.querySelectorAll("input[data-reveal]");
  function update() {
    triggers.forEach(function (input) {
      var panel = document.getElementById(input.getAttribute("data-reveal"));
      if (panel) { panel.hidden = !input.checked; }
    });
  }
  triggers.forEach(function (input) {
    document.querySelectorAll('input[name="' + input.name + '"]').forEach(function (other) {
      other.addEventListener("change", update);
    });
  });
  update();
})();
