// The case on its diagram: bpmn-js viewer with done, active and waiting elements marked.
// Call activities are marked drillable: selecting one opens the called process's page
// (the same links are listed under the diagram for keyboard and screen-reader users).
(function () {
  var container = document.getElementById("diagram");
  if (!container || !window.BpmnJS) { return; }
  var picture = JSON.parse(document.getElementById("case-picture").textContent);
  var viewer = new BpmnJS({ container: container });
  window.boundaryViewer = viewer;
  var calledBy = {};
  (picture.calls || []).forEach(function (call) { calledBy[call.element_id] = call.process; });
  function drillTo(process) {
    window.location.href = container.dataset.drillUrl + "?process=" + encodeURIComponent(process);
  }
  fetch(container.dataset.xmlUrl, { credentials: "same-origin" })
    .then(function (response) { return response.text(); })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      function mark(id, css) { if (registry.get(id)) { canvas.addMarker(id, css); } }
      picture.completed.forEach(function (id) { mark(id, "done"); });
      picture.active.forEach(function (id) { mark(id, "active"); });
      picture.waiting.forEach(function (w) { mark(w.element_id, "waiting"); });
      Object.keys(calledBy).forEach(function (id) { mark(id, "drillable"); });
      viewer.get("eventBus").on("element.click", function (event) {
        var process = calledBy[event.element.id];
        if (process) { drillTo(process); }
      });
      canvas.zoom("fit-viewport");
      container.dispatchEvent(new CustomEvent("boundary:diagram-ready", { bubbles: true, detail: { viewer: viewer } }));
      container.dataset.ready = "true";
    })
    .catch(function (error) { container.textContent = "The diagram could not be shown: " + error.message; });
})();
