"""SpiffWorkflow alone on the same diagram: the baseline the service's cost per completion is measured against."""
from __future__ import annotations

import time

from bench_setup import FIXTURES, PROCESS, START, STEP_DATA, STEPS


def raw_engine_per_completion(rounds: int = 40, embedded_spec: bool = False) -> list[float]:
    """SpiffWorkflow alone, same diagram: load JSON -> complete the ready task -> save JSON.

    ``embedded_spec=False`` uses Spiff's serializer with the parsed spec handed
    in (what a careful integration does, and the stricter baseline);
    ``True`` is Spiff's stock serializer, which writes the spec into every dump.
    Returns seconds per completion, over ``rounds`` cases walked through all fifteen tasks.
    """
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.util.task import TaskState

    from service.engine.serializer import dump_state, load_state

    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(FIXTURES / "fifteen_tasks.bpmn"))
    spec = parser.get_spec(PROCESS)
    subprocesses = parser.get_subprocess_specs(PROCESS)
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
    stock = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    class Bundle:  # the two attributes load_state reads
        pass

    bundle = Bundle()
    bundle.spec, bundle.subprocess_specs = spec, subprocesses

    def dump(workflow):
        return stock.serialize_json(workflow) if embedded_spec else dump_state(workflow)

    def load(text):
        return stock.deserialize_json(text) if embedded_spec else load_state(bundle, text)

    timings = []
    for round_ in range(rounds):
        workflow = BpmnWorkflow(spec, subprocesses)
        workflow.get_tasks(state=TaskState.READY)[0].data.update({**START, "matter_reference": f"R-{round_}"})
        workflow.do_engine_steps()
        state = dump(workflow)
        for _ in range(STEPS):
            started = time.perf_counter()
            workflow = load(state)
            task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data.update(dict(STEP_DATA))
            task.run()
            workflow.do_engine_steps()
            state = dump(workflow)
            timings.append(time.perf_counter() - started)
    return timings
