/*
 * Boundary's entries in the bpmn-js properties panel: what the service reads
 * from a diagram (docs/architecture.md, "Diagram conventions").
 *
 * - user tasks: role (the lane they sit in), form file, stage, letter, due
 *   period and the policy clauses that end their documentation;
 * - the start event: its form and stage; gateways, call activities, catch
 *   and end events: the stage;
 * - lanes: the role they stand for;
 * - sequence flows out of a gateway: the condition (the stock BPMN provider has
 *   no condition entry; Camunda's and Zeebe's are for their own engines).
 *
 * The stock panel renders with a Preact copy bundled in its UMD file, which it
 * does not export. Entries here are plain function components without hooks,
 * built with the identical Preact version the panel ships
 * (@bpmn-io/properties-panel/preact), so the panel's renderer draws them.
 * Every change goes through bpmn-js commands, so undo and redo work.
 */
(function () {
  "use strict";

  var h = window.preact.h;
  var SPIFF_PROPERTIES = "spiffworkflow:Properties";
  var CLAUSES = /\s*\(([^()]*)\)\s*$/;

  function is(element, type) {
    var bo = element && (element.businessObject || element);
    return !!(bo && bo.$instanceOf && bo.$instanceOf(type));
  }

  function options() {
    var node = document.getElementById("modeller-options");
    return node ? JSON.parse(node.textContent) : { roles: [], stages: [], forms: [], letters: [] };
  }

  // -- reading and writing spiffworkflow:property values ---------------------
  function propertiesOf(bo) {
    var values = (bo.extensionElements && bo.extensionElements.values) || [];
    for (var i = 0; i < values.length; i++) {
      if (values[i].$instanceOf && values[i].$instanceOf(SPIFF_PROPERTIES)) { return values[i]; }
    }
    return null;
  }

  function getProperty(element, name) {
    var props = propertiesOf(element.businessObject);
    var found = props && (props.properties || []).filter(function (p) { return p.name === name; })[0];
    return found ? (found.value || "") : "";
  }

  function setProperty(services, element, name, value) {
    var modeling = services.modeling, factory = services.bpmnFactory;
    var bo = element.businessObject;
    value = (value || "").trim();
    var extensions = bo.extensionElements;
    if (!extensions) {
      if (!value) { return; }
      extensions = factory.create("bpmn:ExtensionElements", { values: [] });
      extensions.$parent = bo;
      modeling.updateProperties(element, { extensionElements: extensions });
    }
    var props = propertiesOf(bo);
    if (!props) {
      if (!value) { return; }
      props = factory.create(SPIFF_PROPERTIES, { properties: [] });
      props.$parent = extensions;
      modeling.updateModdleProperties(element, extensions, { values: (extensions.values || []).concat([props]) });
    }
    var list = props.properties || [];
    var existing = list.filter(function (p) { return p.name === name; })[0];
    if (!value) {
      if (existing) {
        modeling.updateModdleProperties(element, props, { properties: list.filter(function (p) { return p !== existing; }) });
      }
    } else if (existing) {
      modeling.updateModdleProperties(element, existing, { value: value });
    } else {
      var created = factory.create("spiffworkflow:Property", { name: name, value: value });
      created.$parent = props;
      modeling.updateModdleProperties(element, props, { properties: list.concat([created]) });
    }
  }

  // -- documentation and its policy clauses ---------------------------------
  function documentation(element) {
    var docs = element.businessObject.documentation || [];
    return docs.length ? (docs[0].text || "") : "";
  }

  function setDocumentation(services, element, text) {
    var bo = element.businessObject;
    var docs = (bo.documentation || []).slice();
    if (docs.length) {
      services.modeling.updateModdleProperties(element, docs[0], { text: text });
    } else {
      var doc = services.bpmnFactory.create("bpmn:Documentation", { text: text });
      doc.$parent = bo;
      services.modeling.updateModdleProperties(element, bo, { documentation: [doc] });
    }
  }

  function clauses(element) {
    var match = documentation(element).match(CLAUSES);
    return match ? match[1].trim() : "";
  }

  function setClauses(services, element, value) {
    var base = documentation(element).replace(CLAUSES, "").trim();
    value = (value || "").trim().replace(/^\(|\)$/g, "");
    setDocumentation(services, element, value ? (base ? base + " (" + value + ")" : "(" + value + ")") : base);
  }

  // -- conditions -------------------------------------------------------------
  function condition(element) {
    var expression = element.businessObject.conditionExpression;
    return expression ? (expression.body || "") : "";
  }

  function setCondition(services, element, value) {
    value = (value || "").trim();
    if (!value) {
      services.modeling.updateProperties(element, { conditionExpression: undefined });
      return;
    }
    var expression = services.bpmnFactory.create("bpmn:FormalExpression", { body: value });
    services.modeling.updateProperties(element, { conditionExpression: expression });
  }

  // -- lanes (roles) ------------------------------------------------------------
  function poolOf(shape) {
    while (shape && !is(shape, "bpmn:Participant")) { shape = shape.parent; }
    return shape || null;
  }

  /* The innermost lanes of the pool the element is in (a task cannot change pools). */
  function lanesAround(services, element) {
    var pool = poolOf(element);
    return services.elementRegistry.filter(function (shape) {
      return is(shape, "bpmn:Lane") && poolOf(shape) === pool
        && !(shape.children || []).some(function (c) { return is(c, "bpmn:Lane"); });
    });
  }

  function laneOf(services, element) {
    var centre = element.y + element.height / 2, middle = element.x + element.width / 2;
    return lanesAround(services, element).filter(function (lane) {
      return lane.y <= centre && centre <= lane.y + lane.height && lane.x <= middle && middle <= lane.x + lane.width;
    })[0] || null;
  }

  function moveToLane(services, element, laneId) {
    var lane = services.elementRegistry.get(laneId);
    if (!lane) { return; }
    var targetY = lane.y + lane.height / 2 - element.height / 2;
    var parent = lane;
    while (parent.parent && is(parent.parent, "bpmn:Lane")) { parent = parent.parent; }
    services.modeling.moveShape(element, { x: 0, y: Math.round(targetY - element.y) }, parent.parent || parent);
  }

  // -- a generic entry --------------------------------------------------------
  function Entry(props) {
    var id = "boundary-" + props.id;
    var describedBy = props.help ? id + "-help" : undefined;
    var common = { id: id, name: id, class: "bio-properties-panel-input", "aria-describedby": describedBy,
      onChange: function (event) { props.set(event.target.value); } };
    var control;
    if (props.choices) {
      var current = props.get();
      var choices = props.choices.slice();
      if (current && !choices.some(function (c) { return c.value === current; })) {
        choices.unshift({ value: current, label: current + " (not known to Boundary)" });
      }
      control = h("select", Object.assign({ value: current }, common),
        [h("option", { value: "" }, props.empty || "(none)")].concat(
          choices.map(function (c) { return h("option", { value: c.value }, c.label); })));
    } else if (props.multiline) {
      control = h("textarea", Object.assign({ rows: 3, value: draft(id, props.get()), spellcheck: false }, common));
    } else {
      control = h("input", Object.assign({ type: "text", value: draft(id, props.get()), spellcheck: false,
        autocomplete: "off" }, common));
    }
    return h("div", { class: "bio-properties-panel-entry", "data-entry-id": props.id },
      h("label", { for: id, class: "bio-properties-panel-label" }, props.label),
      control,
      props.help ? h("div", { class: "bio-properties-panel-description", id: describedBy }, props.help) : null);
  }

  /* The value to show: the model's, except in the field being typed in. The panel
   * re-renders whenever the diagram changes, and Preact would otherwise put the
   * model's value back over what the owner is typing before it is committed. */
  function draft(id, value) {
    var node = document.getElementById(id);
    return node && node === document.activeElement ? node.value : value;
  }

  function Note(props) {
    return h("div", { class: "bio-properties-panel-entry", "data-entry-id": props.id },
      h("p", { class: "bio-properties-panel-description boundary-panel-note" }, props.text));
  }

  function isEdited(node) { return !!(node && node.value); }

  // One component for every entry (a stable type, so Preact updates it in place
  // instead of re-mounting it); the panel passes the entry's fields as props.
  function entry(id, element, spec) {
    return Object.assign({ id: id, element: element, isEdited: isEdited, component: Entry }, spec);
  }

  function propertyEntry(services, element, name, label, extra) {
    return entry(name, element, Object.assign({
      label: label,
      get: function () { return getProperty(element, name); },
      set: function (value) { setProperty(services, element, name, value); }
    }, extra || {}));
  }

  // -- the provider -----------------------------------------------------------
  function BoundaryPropertiesProvider(propertiesPanel, injector) {
    this._services = {
      modeling: injector.get("modeling"),
      bpmnFactory: injector.get("bpmnFactory"),
      elementRegistry: injector.get("elementRegistry")
    };
    propertiesPanel.registerProvider(500, this);
  }
  BoundaryPropertiesProvider.$inject = ["propertiesPanel", "injector"];

  BoundaryPropertiesProvider.prototype.getGroups = function (element) {
    var services = this._services;
    return function (groups) {
      var extra = [];
      var condition = conditionGroup(services, element);
      if (condition) { extra.push(condition); }
      var boundary = boundaryGroup(services, element);
      if (boundary) { extra.push(boundary); }
      // Right after "General", where an owner looks first.
      var at = groups.findIndex(function (g) { return g.id === "general"; }) + 1;
      return groups.slice(0, at).concat(extra, groups.slice(at));
    };
  };

  function conditionGroup(services, element) {
    if (!is(element, "bpmn:SequenceFlow")) { return null; }
    var source = element.businessObject.sourceRef;
    if (!(is(source, "bpmn:ExclusiveGateway") || is(source, "bpmn:InclusiveGateway") || condition(element))) { return null; }
    return { id: "boundary-condition", label: "Condition", entries: [entry("condition", element, {
      label: "Condition (Python expression over the case's data)",
      multiline: true,
      help: "For example: decision == \"approve\". Leave empty on the default flow. Checked when you press Check for problems.",
      get: function () { return condition(element); },
      set: function (value) { setCondition(services, element, value); }
    })] };
  }

  function boundaryGroup(services, element) {
    var opts = options();
    var titles = opts.stageTitles || {};
    var stages = opts.stages.map(function (s) { return { value: s, label: titles[s] || s.replace(/_/g, " ") }; });
    var forms = opts.forms.map(function (f) { return { value: f, label: f }; });
    var letters = opts.letters.map(function (l) { return { value: l, label: l.replace(/_/g, " ") }; });
    var entries = [];
    var stage = propertyEntry(services, element, "stage", "Case stage while this is active", { choices: stages,
      help: "The stage staff and supervisors see for the case." });

    if (is(element, "bpmn:Lane")) {
      var lane = element;
      entries.push(entry("lane-role", element, {
        label: "Role this lane stands for",
        choices: opts.roles.map(function (r) { return { value: r.title, label: r.title }; }),
        empty: "(not a role)",
        help: "Tasks in this lane go to the inbox of everyone with the role.",
        get: function () { return (lane.businessObject.name || "").trim(); },
        set: function (value) { if (value) { services.modeling.updateLabel(lane, value); } }
      }));
    } else if (is(element, "bpmn:UserTask") || is(element, "bpmn:ManualTask")) {
      var lanes = lanesAround(services, element);
      entries.push(entry("role", element, {
        label: "Role (the lane it sits in)",
        choices: lanes.map(function (l) { return { value: l.id, label: l.businessObject.name || l.id }; }),
        empty: lanes.length ? "(in no lane)" : "(the diagram has no lanes)",
        help: "Moves the task into that lane. Add a lane for a role from the pool's menu, then name it with the role.",
        get: function () { var lane = laneOf(services, element); return lane ? lane.id : ""; },
        set: function (value) { moveToLane(services, element, value); }
      }));
      entries.push(propertyEntry(services, element, "formJsonSchemaFilename", "Form", { choices: forms,
        help: "The form staff fill in to complete the task (see Forms)." }));
      entries.push(stage);
      entries.push(propertyEntry(services, element, "letter", "Letter it produces", { choices: letters,
        empty: "(no letter)" }));
      entries.push(propertyEntry(services, element, "dueIn", "Due within (ISO 8601 duration)", {
        help: "For example P10D for ten days or P1M for a month; empty for no due date." }));
      entries.push(entry("clauses", element, {
        label: "Policy clauses it implements",
        help: "For example CLE 9.11, SCO 6.1. Kept at the end of the documentation, in brackets.",
        get: function () { return clauses(element); },
        set: function (value) { setClauses(services, element, value); }
      }));
    } else if (is(element, "bpmn:StartEvent") && !(element.businessObject.eventDefinitions || []).length) {
      entries.push(propertyEntry(services, element, "formJsonSchemaFilename", "Start form", { choices: forms }));
      entries.push(stage);
    } else if (is(element, "bpmn:Gateway") || is(element, "bpmn:CallActivity") || is(element, "bpmn:CatchEvent")
      || is(element, "bpmn:SubProcess")) {
      entries.push(stage);
      var timers = (element.businessObject.eventDefinitions || []).filter(function (d) {
        return is(d, "bpmn:TimerEventDefinition");
      });
      if (timers.length) {
        entries.push({ id: "timer-note", component: Note, text: "Timer value (in the Timer group): a duration in " +
          "quotes, like \"P3M\" or \"P10D\", or the name of a duration in the case's data, like monitoring_period." });
      }
    } else if (is(element, "bpmn:EndEvent")) {
      entries.push(propertyEntry(services, element, "stage", "Case stage when the case ends here", {
        choices: stages, help: "\"closed\" makes this end event the case's outcome." }));
    }
    return entries.length ? { id: "boundary", label: "Boundary", entries: entries } : null;
  }

  window.BoundaryModeller = window.BoundaryModeller || {};
  window.BoundaryModeller.PropertiesModule = {
    __init__: ["boundaryPropertiesProvider"],
    boundaryPropertiesProvider: ["type", BoundaryPropertiesProvider]
  };
}());
