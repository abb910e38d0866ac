/*
 * The form editor for people: the form's fields as questions to add, reorder, change and
 * remove, written back into the JSON Schema in the "Advanced: JSON" tab (which is what is
 * saved, and what the live preview draws). It writes the same encoding the inbox reads
 * (service/web/form_fields.py): "description" is the hint, "enum" + "x-enumNames" a choice,
 * an array of enums multiple choice, an array of objects a repeating group, and an "allOf"
 * rule {"if": <answer>, "then": {"required": [field]}} a question revealed under that answer.
 * Anything else in the schema (rules, messages, limits) is kept as it is.
 */
(function () {
  "use strict";

  var root = document.getElementById("fields-editor");
  var textarea = document.getElementById("schema");
  if (!root || !textarea) { return; }
  var KINDS = [["text", "Text (one line)"], ["textarea", "Long text"], ["date", "Date"], ["boolean", "Yes or no"],
    ["radios", "Choice (one answer)"], ["checkboxes", "Multiple choice"], ["items", "Repeating group"],
    ["number", "Number"]];
  var schema = null;
  var writing = false;

  // -- reading the schema ---------------------------------------------------------------
  function kindOf(spec) {
    var items = spec.items || {};
    if (spec.type === "array") { return items.type === "object" ? "items" : "checkboxes"; }
    if (spec.enum) { return "radios"; }
    if (spec.type === "boolean") { return "boolean"; }
    if (spec.type === "integer" || spec.type === "number") { return "number"; }
    if (spec.format === "date") { return "date"; }
    if (spec["x-widget"] === "textarea" || (spec.maxLength || 0) > 200) { return "textarea"; }
    return "text";
  }

  function humanise(value) {
    var text = String(value).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function slug(text) {
    var name = String(text).toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
    return /^[a-z]/.test(name) ? name : "field_" + name;
  }

  function options(spec) {  // [[value, label]]
    var holder = kindOf(spec) === "checkboxes" ? (spec.items || {}) : spec;
    var values = holder.enum || [];
    var names = spec["x-enumNames"] || holder["x-enumNames"] || [];
    return values.map(function (value, i) {
      return [value, names.length === values.length ? names[i] : humanise(value)];
    });
  }

  function optionLines(spec) {
    return options(spec).map(function (pair) {
      return slug(pair[1]) === pair[0] ? pair[1] : pair[0] + ": " + pair[1];
    }).join("\n");
  }

  function parseOptions(text) {
    var values = [], labels = [];
    text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean).forEach(function (line) {
      var match = /^([A-Za-z0-9_]+):\s+(.+)$/.exec(line);
      var value = match ? match[1] : (/^[a-z0-9_]+$/.test(line) ? line : slug(line));
      if (values.indexOf(value) === -1) { values.push(value); labels.push(match ? match[2] : line); }
    });
    return { values: values, labels: labels };
  }

  function rules() { return Array.isArray(schema.allOf) ? schema.allOf : []; }

  function simpleReveal(rule) {  // {trigger, value} when the rule is a plain conditional reveal
    var props = ((rule || {}).if || {}).properties || {};
    var keys = Object.keys(props);
    if (keys.length !== 1 || !props[keys[0]] || !("const" in props[keys[0]])) { return null; }
    return { trigger: keys[0], value: props[keys[0]].const };
  }

  function revealOf(name) {
    var found = null;
    rules().forEach(function (rule) {
      var reveal = simpleReveal(rule);
      if (reveal && ((rule.then || {}).required || []).indexOf(name) !== -1 && !found) { found = reveal; }
    });
    return found;
  }

  // -- changing the schema --------------------------------------------------------------
  function write() {
    writing = true;
    textarea.value = JSON.stringify(schema, null, 2) + "\n";
    textarea.dispatchEvent(new Event("input", { bubbles: true }));  // the preview follows
    writing = false;
  }

  function reorder(holder, names) {
    var properties = {};
    names.forEach(function (name) { properties[name] = holder.properties[name]; });
    holder.properties = properties;
    if (Array.isArray(holder.required)) {  // required in the order of the questions, as people read it
      holder.required.sort(function (a, b) { return names.indexOf(a) - names.indexOf(b); });
    }
  }

  function setRequired(holder, name, yes) {
    var list = (holder.required || []).filter(function (other) { return other !== name; });
    if (yes) {
      var order = Object.keys(holder.properties);
      list.push(name);
      list.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    }
    holder.required = list;
    var spec = holder.properties[name];
    if (yes && (spec.type === "string" && !spec.enum && !spec.format) && !spec.minLength) { spec.minLength = 1; }
  }

  function dropFromRules(name, asTrigger) {
    if (!Array.isArray(schema.allOf)) { return; }
    schema.allOf = schema.allOf.filter(function (rule) {
      var reveal = simpleReveal(rule);
      if (asTrigger && ((rule.if || {}).properties || {})[name] !== undefined) { return false; }
      if (rule.then && Array.isArray(rule.then.required)) {
        rule.then.required = rule.then.required.filter(function (other) { return other !== name; });
        if (asTrigger && rule.then.properties) { delete rule.then.properties[name]; }
        var empty = !rule.then.required.length && Object.keys(rule.then).every(function (k) {
          return k === "required" || (k === "properties" && !Object.keys(rule.then.properties).length);
        });
        if (empty && reveal) { return false; }
      }
      return true;
    });
    if (!schema.allOf.length) { delete schema.allOf; }
  }

  function setReveal(name, choice) {
    dropFromRules(name, false);
    if (!choice) { return; }
    var trigger = choice.trigger, value = choice.value;
    setRequired(schema, name, false);
    var rule = rules().filter(function (r) {
      var reveal = simpleReveal(r);
      return reveal && reveal.trigger === trigger && reveal.value === value && Object.keys(r.then || {}).join() === "required";
    })[0];
    if (rule) { rule.then.required.push(name); return; }
    var test = {};
    test[trigger] = { "const": value };
    schema.allOf = rules().concat([{ "if": { required: [trigger], properties: test }, then: { required: [name] } }]);
  }

  function renameField(holder, from, to) {
    var names = Object.keys(holder.properties).map(function (n) { return n === from ? to : n; });
    holder.properties[to] = holder.properties[from];
    reorder(holder, names);
    holder.required = (holder.required || []).map(function (n) { return n === from ? to : n; });
    if (holder === schema) {
      rules().forEach(function (rule) {
        if (rule.then && Array.isArray(rule.then.required)) {
          rule.then.required = rule.then.required.map(function (n) { return n === from ? to : n; });
        }
        var props = (rule.if || {}).properties;
        if (props && props[from] !== undefined) {
          props[to] = props[from]; delete props[from];
          rule.if.required = (rule.if.required || []).map(function (n) { return n === from ? to : n; });
        }
      });
    }
  }

  function specFor(kind, old) {
    var spec = { title: old.title };
    if (old.description) { spec.description = old.description; }
    var keep = options(old).length ? options(old) : [["option_1", "Option 1"], ["option_2", "Option 2"]];
    var values = keep.map(function (p) { return p[0]; }), labels = keep.map(function (p) { return p[1]; });
    if (kind === "text") { spec.type = "string"; spec.maxLength = 200; }
    if (kind === "textarea") { spec.type = "string"; spec.maxLength = 10000; spec["x-widget"] = "textarea"; }
    if (kind === "date") { spec.type = "string"; spec.format = "date"; }
    if (kind === "boolean") { spec.type = "boolean"; }
    if (kind === "number") { spec.type = "integer"; }
    if (kind === "radios") { spec.type = "string"; spec.enum = values; spec["x-enumNames"] = labels; }
    if (kind === "checkboxes") {
      spec.type = "array"; spec.uniqueItems = true;
      spec.items = { type: "string", "enum": values, "x-enumNames": labels };
    }
    if (kind === "items") {
      spec.type = "array";
      spec.items = { type: "object", additionalProperties: false, required: [], properties: {} };
      spec.items.properties.item = { type: "string", title: "Item", maxLength: 200 };
    }
    return spec;
  }

  // -- drawing --------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function group(id, label, input, hint) {
    if (hint) { input.setAttribute("aria-describedby", id + "-hint"); }
    return el("div", { "class": "govuk-form-group" }, [
      el("label", { "class": "govuk-label", "for": id, text: label }),
      hint ? el("div", { "class": "govuk-hint", id: id + "-hint", text: hint }) : null, input]);
  }

  function button(text, hidden, classes, action) {
    var node = el("button", { type: "button", "class": "govuk-button " + classes, "data-module": "govuk-button" },
      [document.createTextNode(text), hidden ? el("span", { "class": "govuk-visually-hidden", text: " " + hidden }) : null]);
    node.addEventListener("click", action);
    return node;
  }

  function revealChoices(name) {  // [label, {trigger, value}] for every answer a question can hang under
    var found = [];
    Object.keys(schema.properties || {}).forEach(function (other) {
      var spec = schema.properties[other];
      if (other === name || revealOf(other)) { return; }
      var title = spec.title || humanise(other);
      if (kindOf(spec) === "boolean") {
        found.push(["When \u201c" + title + "\u201d is Yes", { trigger: other, value: true }]);
        found.push(["When \u201c" + title + "\u201d is No", { trigger: other, value: false }]);
      } else if (kindOf(spec) === "radios") {
        options(spec).forEach(function (pair) {
          found.push(["When \u201c" + title + "\u201d is " + pair[1], { trigger: other, value: pair[0] }]);
        });
      }
    });
    return found;
  }

  function card(holder, name, index, path, nested) {
    var spec = holder.properties[name];
    var id = "field-" + path;
    var kind = kindOf(spec);
    var names = Object.keys(holder.properties);
    var title = spec.title || humanise(name);
    var reveal = nested ? null : revealOf(name);

    var question = el("input", { "class": "govuk-input", id: id + "-title", type: "text", value: title });
    question.addEventListener("input", function () {
      spec.title = question.value;
      heading.textContent = "Question " + (index + 1) + ": " + question.value;
      if (card.autoNamed[path] && question.value.trim()) {  // a new question is named after its text
        var wanted = slug(question.value), unique = wanted, n = 2;
        while (unique !== name && holder.properties[unique]) { unique = wanted + "_" + n++; }
        if (unique !== name) {
          renameField(holder, name, unique);
          name = unique;
          nameInput.value = unique;
          box.setAttribute("data-field", unique);
        }
      }
      write();
    });
    var nameInput = el("input", { "class": "govuk-input govuk-input--width-20", id: id + "-name", type: "text",
      value: name, spellcheck: "false" });
    var nameError = el("p", { "class": "govuk-error-message", id: id + "-name-error", role: "status" });
    nameInput.addEventListener("change", function () {
      var wanted = nameInput.value.trim();
      if (wanted === name) { nameError.textContent = ""; return; }
      if (!/^[a-z][a-z0-9_]*$/.test(wanted)) {
        nameError.textContent = "Use lower-case letters, digits and underscores, starting with a letter."; return;
      }
      if (holder.properties[wanted]) { nameError.textContent = "Another question already has the name " + wanted + "."; return; }
      delete card.autoNamed[path];
      renameField(holder, name, wanted); write(); render(id + "-name");
    });
    var kindSelect = el("select", { "class": "govuk-select", id: id + "-kind" }, KINDS.filter(function (k) {
      return !(nested && k[0] === "items");
    }).map(function (k) {
      var option = el("option", { value: k[0], text: k[1] });
      if (k[0] === kind) { option.selected = true; }
      return option;
    }));
    kindSelect.addEventListener("change", function () {
      holder.properties[name] = specFor(kindSelect.value, spec); write(); render(id + "-kind");
    });
    var hint = el("input", { "class": "govuk-input", id: id + "-hint", type: "text", value: spec.description || "" });
    hint.addEventListener("input", function () {
      if (hint.value) { spec.description = hint.value; } else { delete spec.description; }
      write();
    });

    var parts = [group(id + "-title", "Question", question), group(id + "-name", "Name in the case data", nameInput,
      "Diagrams read the answer by this name: lower-case letters, digits and underscores."), nameError,
      group(id + "-kind", "Kind of answer", kindSelect), group(id + "-hint", "Hint (optional)", hint)];

    if (reveal) {
      parts.push(el("p", { "class": "govuk-body-s", text: "Asked, and required, only when the answer above is given." }));
    } else {
      var required = el("input", { "class": "govuk-checkboxes__input", id: id + "-required", type: "checkbox" });
      required.checked = (holder.required || []).indexOf(name) !== -1;
      required.addEventListener("change", function () { setRequired(holder, name, required.checked); write(); });
      parts.push(el("div", { "class": "govuk-form-group" }, [el("div", { "class": "govuk-checkboxes govuk-checkboxes--small" }, [
        el("div", { "class": "govuk-checkboxes__item" }, [required,
          el("label", { "class": "govuk-label govuk-checkboxes__label", "for": id + "-required", text: "Staff must answer this" })])])]));
    }
    if (kind === "radios" || kind === "checkboxes") {
      var choices = el("textarea", { "class": "govuk-textarea", id: id + "-options", rows: "4" });
      choices.value = optionLines(spec);
      choices.addEventListener("change", function () {
        var parsed = parseOptions(choices.value);
        var target = kind === "checkboxes" ? spec.items : spec;
        target.enum = parsed.values;
        target["x-enumNames"] = parsed.labels;
        if (kind === "checkboxes") { delete spec["x-enumNames"]; }
        write(); render(id + "-options");
      });
      parts.push(group(id + "-options", "Options, one a line", choices,
        "Write each option as staff will see it. To keep the value a diagram reads, write value: Label."));
    }
    if (!nested) {
      var when = el("select", { "class": "govuk-select", id: id + "-reveal" }, [el("option", { value: "", text: "Always" })]);
      revealChoices(name).forEach(function (pair, i) {
        var option = el("option", { value: String(i), text: pair[0] });
        if (reveal && reveal.trigger === pair[1].trigger && reveal.value === pair[1].value) { option.selected = true; }
        when.appendChild(option);
      });
      when.addEventListener("change", function () {
        var choice = when.value === "" ? null : revealChoices(name)[Number(when.value)][1];
        setReveal(name, choice); write(); render(id + "-reveal");
      });
      parts.push(group(id + "-reveal", "Ask this question", when));
    }
    if (kind === "items") {
      parts.push(el("h4", { "class": "govuk-heading-s", text: "Questions in each " + title.toLowerCase() }));
      parts.push(list(spec.items, path, true));
    }
    parts.push(el("div", { "class": "govuk-button-group" }, [
      index > 0 ? button("Move up", title, "govuk-button--secondary", function () { move(-1, "-up"); }) : null,
      index < names.length - 1 ? button("Move down", title, "govuk-button--secondary", function () {
        move(1, "-down");
      }) : null,
      button("Remove", title, "govuk-button--warning", function () {
        delete holder.properties[name];
        holder.required = (holder.required || []).filter(function (n) { return n !== name; });
        if (!nested) { dropFromRules(name, true); }
        write(); render("fields-add");
      })]));
    parts[parts.length - 1].querySelectorAll("button").forEach(function (node) {
      var text = node.firstChild.textContent;
      node.id = id + (text === "Move up" ? "-up" : text === "Move down" ? "-down" : "-remove");
    });
    function move(by, button) {
      var order = Object.keys(holder.properties);
      var at = order.indexOf(name);
      order.splice(at + by, 0, order.splice(at, 1)[0]);
      reorder(holder, order);
      write();
      render(fieldPath(path, at + by) + button, fieldPath(path, at + by) + "-title");
    }
    var heading = el("h3", { "class": "govuk-heading-s", id: id + "-heading", text: "Question " + (index + 1) + ": " + title });
    var box = el("div", { "class": "boundary-field-card" + (reveal ? " boundary-field-card--revealed" : ""),
      "data-field": name, role: "group", "aria-labelledby": id + "-heading" }, [heading].concat(parts));
    return box;
  }
  card.autoNamed = {};

  function fieldPath(path, index) {
    var parts = path.split("-"); parts[parts.length - 1] = String(index);
    return "field-" + parts.join("-");
  }

  function list(holder, prefix, nested) {
    holder.properties = holder.properties || {};
    var names = Object.keys(holder.properties);
    var box = el("div", { "class": "boundary-field-list" }, names.map(function (name, i) {
      return card(holder, name, i, prefix ? prefix + "-" + i : String(i), nested);
    }));
    var addId = prefix ? "field-" + prefix + "-add" : "fields-add";
    box.appendChild(button(nested ? "Add a question to the group" : "Add a question", "", "govuk-button--secondary", function () {
      var n = names.length + 1, name = "question_" + n;
      while (holder.properties[name]) { name = "question_" + ++n; }
      holder.properties[name] = { type: "string", title: "New question", maxLength: 200 };
      var path = (prefix ? prefix + "-" : "") + names.length;
      card.autoNamed[path] = true;
      write(); render("field-" + path + "-title");
    }));
    box.lastChild.id = addId;
    return box;
  }

  function render(focusId, fallbackId) {
    root.textContent = "";
    var title = el("input", { "class": "govuk-input", id: "form-title", type: "text", value: schema.title || "" });
    title.addEventListener("input", function () {
      if (title.value) { schema.title = title.value; } else { delete schema.title; }
      write();
    });
    root.appendChild(group("form-title", "Form title", title));
    root.appendChild(list(schema, "", false));
    var focus = document.getElementById(focusId) || document.getElementById(fallbackId || "");
    if (focus) { focus.focus(); }
  }

  function load() {
    try {
      var parsed = JSON.parse(textarea.value);
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) { throw new Error("not an object"); }
      schema = parsed;
      schema.properties = schema.properties || {};
      render();
    } catch (error) {
      root.textContent = "";
      root.appendChild(el("p", { "class": "govuk-body", text: "The JSON in the Advanced tab is not valid yet, so the " +
        "questions cannot be shown. Correct it there: " + error.message }));
    }
  }

  textarea.addEventListener("input", function () { if (!writing) { load(); } });
  load();
  root.setAttribute("data-ready", "true");
}());
