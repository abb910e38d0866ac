// Zoom controls for every bpmn-js diagram on a page (modeller, monitor page, dashboard).
// A diagram's script announces it once drawn: container.dispatchEvent(new CustomEvent(
// "boundary:diagram-ready", { bubbles: true, detail: { viewer: viewer } })). The diagram is
// then fitted to its frame, and "Zoom in", "Zoom out" and "Fit the whole diagram" buttons
// (GOV.UK secondary buttons) go above it with the zoom level read out to screen readers.
// The buttons are made here, not in the page: without JavaScript there is no diagram to zoom.
// They go into an element with data-zoom-controls-for="<container id>" if the page has one.
(function () {
  "use strict";
  var STEP = 1.25, MIN = 0.1, MAX = 4;
  var viewers = {};  // by container id, for people (and tests) poking at the page

  function button(text, action, controls) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "govuk-button govuk-button--secondary boundary-zoom__button";
    element.setAttribute("data-module", "govuk-button");
    element.setAttribute("data-zoom", action);
    element.setAttribute("aria-controls", controls);
    element.textContent = text;
    return element;
  }

  function attach(viewer, container) {
    var canvas = viewer.get("canvas");
    if (!container.id) { container.id = "diagram-" + Math.random().toString(36).slice(2); }
    viewers[container.id] = viewer;
    var bar = document.querySelector(".boundary-zoom[data-for='" + container.id + "']");
    var level;
    if (!bar) {
      bar = document.createElement("div");
      bar.className = "boundary-zoom";
      bar.setAttribute("role", "group");
      bar.setAttribute("aria-label", "Diagram zoom");
      bar.setAttribute("data-for", container.id);
      bar.appendChild(button("Zoom in", "in", container.id));
      bar.appendChild(button("Zoom out", "out", container.id));
      bar.appendChild(button("Fit the whole diagram", "fit", container.id));
      level = document.createElement("span");
      level.className = "govuk-body-s boundary-zoom__level";
      level.setAttribute("role", "status");
      bar.appendChild(level);
      var slot = document.querySelector("[data-zoom-controls-for='" + container.id + "']");
      if (slot) { slot.appendChild(bar); } else { container.parentNode.insertBefore(bar, container); }
    }
    level = bar.querySelector(".boundary-zoom__level");

    function show() { level.textContent = "Zoom " + Math.round(canvas.zoom() * 100) + "%"; }
    function fit() { canvas.zoom("fit-viewport", "auto"); show(); }

    bar.onclick = function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-zoom");
      if (!action) { return; }
      if (action === "fit") { fit(); return; }
      var scale = canvas.zoom() * (action === "in" ? STEP : 1 / STEP);
      canvas.zoom(Math.max(MIN, Math.min(MAX, scale)));
      show();
    };
    if (!bar.hasAttribute("data-listening")) {  // a diagram opened again (the modeller) keeps its one listener
      viewer.get("eventBus").on("canvas.viewbox.changed", show);
      bar.setAttribute("data-listening", "true");
    }
    fit();
  }

  document.addEventListener("boundary:diagram-ready", function (event) {
    attach(event.detail.viewer, event.target);
  });
  window.BoundaryZoom = { attach: attach, viewers: viewers };
}());
