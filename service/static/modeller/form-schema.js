/*
 * The JSON Schema of a form as questions (form-fields-editor.js draws them): what kind of
 * answer a property asks for, its options, the conditional reveals in "allOf", and the
 * changes the editor makes, in the encoding the inbox reads (service/web/form_fields.py).
 * BoundaryFormSchema(schema) edits that object in place.
 */
window.BoundaryFormSchema = function (schema) {
  "use strict";

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

  return { kindOf: kindOf, humanise: humanise, slug: slug, options: options, optionLines: optionLines,
    parseOptions: parseOptions, simpleReveal: simpleReveal, revealOf: revealOf, reorder: reorder,
    setRequired: setRequired, dropFromRules: dropFromRules, setReveal: setReveal, renameField: renameField,
    specFor: specFor };
};
