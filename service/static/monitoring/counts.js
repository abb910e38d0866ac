// Dashboard: the main diagram with, on each task, how many cases wait there now.
(function () {
  var container = document.getElementById("diagram");
  if (!container || !window.BpmnJS) { return; }
  var counts = JSON.parse(document.getElementById("waiting-at").textContent);
  var viewer = new BpmnJS({ container: container });
  fetch(container.dataset.xmlUrl, { credentials: "same-origin" })
    .then(function (response) { return response.text(); })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var overlays = viewer.get("overlays");
      var registry = viewer.get("elementRegistry");
      Object.keys(counts).forEach(function (id) {
        if (!registry.get(id)) { return; }
        var badge = document.createElement("span");
        badge.className = "boundary-count";
        badge.setAttribute("data-count-for", id);
        badge.textContent = counts[id];
        overlays.add(id, { position: { top: -12, right: 12 }, html: badge });
      });
      viewer.get("canvas").zoom("fit-viewport");
      container.dispatchEvent(new CustomEvent("boundary:diagram-ready", { bubbles: true, detail: { viewer: viewer } }));
      container.dataset.ready = "true";
    })
    .catch(function (error) { container.textContent = "The diagram could not be shown: " + error.message; });
})();
