// History on the case diagram (issue #22): a count on each element done more than once
// ("done 3 times"), and a red marker where a timer or a completion failed. The same facts
// are listed in words under the diagram (#element-history) for keyboard and screen-reader users.
(function () {
  var viewer = window.boundaryViewer;
  var source = document.getElementById("case-picture");
  var container = document.getElementById("diagram");
  if (!viewer || !source || !container) { return; }
  var picture = JSON.parse(source.textContent);

  function badge(className, text, title) {
    var node = document.createElement("span");
    node.className = className;
    node.textContent = text;
    node.title = title;
    node.setAttribute("aria-label", title);
    return node;
  }

  viewer.on("import.done", function (event) {
    if (event.error) { return; }
    var registry = viewer.get("elementRegistry");
    var overlays = viewer.get("overlays");
    var canvas = viewer.get("canvas");
    Object.keys(picture.counts || {}).forEach(function (id) {
      if (!registry.get(id)) { return; }
      var times = picture.counts[id];
      var node = badge("boundary-count", "\u00d7" + times, "Done " + times + " times");
      node.setAttribute("data-done-count-for", id);
      overlays.add(id, "boundary-history", { position: { top: -11, right: 11 }, html: node });
    });
    (picture.incidents || []).forEach(function (incident) {
      var id = incident.element_id;
      if (!id || !registry.get(id)) { return; }
      canvas.addMarker(id, "incident");
      var node = badge("boundary-incident", "!", "Incident: " + incident.text);
      node.setAttribute("data-incident-for", id);
      overlays.add(id, "boundary-history", { position: { top: -11, left: -11 }, html: node });
    });
    container.dataset.history = "true";
  });
})();
