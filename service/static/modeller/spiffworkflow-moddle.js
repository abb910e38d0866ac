/*
 * The SpiffWorkflow extension elements as a moddle package, so bpmn-js reads,
 * edits and writes them back. bpmn-moddle drops any element of a known
 * namespace whose type it does not know, so every element SpiffWorkflow's
 * schema (spiffworkflow.xsd) defines that a Boundary diagram may carry is
 * listed here, not only the properties the panel edits.
 */
(function () {
  "use strict";

  function text(name, property) {
    return {
      name: name,
      superClass: ["Element"],
      properties: [{ name: property || "value", isBody: true, type: "String" }]
    };
  }

  window.BoundaryModeller = window.BoundaryModeller || {};
  window.BoundaryModeller.spiffworkflowModdle = {
    name: "SpiffWorkflow",
    uri: "http://spiffworkflow.org/bpmn/schema/1.0/core",
    prefix: "spiffworkflow",
    xml: { tagAlias: "lowerCase" },
    associations: [],
    types: [
      {
        name: "Properties",
        superClass: ["Element"],
        properties: [{ name: "properties", type: "Property", isMany: true }]
      },
      {
        name: "Property",
        superClass: ["Element"],
        properties: [
          { name: "name", isAttr: true, type: "String" },
          { name: "value", isAttr: true, type: "String" }
        ]
      },
      text("PreScript"),
      text("PostScript"),
      text("MessagePayload"),
      text("MessageVariable"),
      text("InstructionsForEndUser"),
      text("CalledDecisionId"),
      text("PayloadExpression"),
      text("VariableName"),
      {
        name: "UnitTests",
        superClass: ["Element"],
        properties: [{ name: "unitTests", type: "UnitTest", isMany: true }]
      },
      {
        name: "UnitTest",
        superClass: ["Element"],
        properties: [
          { name: "id", isAttr: true, type: "String" },
          { name: "inputJson", type: "InputJson" },
          { name: "expectedOutputJson", type: "ExpectedOutputJson" }
        ]
      },
      text("InputJson"),
      text("ExpectedOutputJson"),
      {
        name: "ServiceTaskOperator",
        superClass: ["Element"],
        properties: [
          { name: "id", isAttr: true, type: "String" },
          { name: "resultVariable", isAttr: true, type: "String" },
          { name: "parameterList", type: "Parameters" },
          { name: "retry", type: "Retry" }
        ]
      },
      {
        name: "Parameters",
        superClass: ["Element"],
        properties: [{ name: "parameters", type: "Parameter", isMany: true }]
      },
      {
        name: "Parameter",
        superClass: ["Element"],
        properties: [
          { name: "id", isAttr: true, type: "String" },
          { name: "type", isAttr: true, type: "String" },
          { name: "value", isAttr: true, type: "String" }
        ]
      },
      {
        name: "Retry",
        superClass: ["Element"],
        properties: [
          { name: "retries", isAttr: true, type: "Integer" },
          { name: "backoff_base", isAttr: true, type: "Integer" }
        ]
      }
    ]
  };
}());
