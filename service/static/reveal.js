// Conditional questions: shown only when the answer that needs them is chosen.
// Without JavaScript every question shows, so nothing is ever out of reach.
(function () {
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
