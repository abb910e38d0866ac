"""What the benchmarks share: databases, bulk-stored cases, gunicorn, load clients, the raw-engine baseline.

Nothing here is timed by the test suite; the scripts in bench/ print figures
for docs/performance.md. Every server listens on 127.0.0.1 only.

Stored cases are made quickly: a few template cases are started and moved
through the diagram with the service's own domain calls (one template per
position, 0..14 tasks done), then cloned row by row with fresh engine task
ids, so the database holds N realistic cases (state, task rows, audit rows)
in seconds rather than hours.
"""
from __future__ import annotations

import collections
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CHECKOUT = BENCH.parent
FIXTURES = BENCH / "fixtures"
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(CHECKOUT / "tests"))  # pg_server: a throwaway PostgreSQL from the installed binaries

PROCESS = "bench_fifteen"
STEPS = 15
START = {"service_user_name": "Bench Person", "matter_reference": "B-0"}
STEP_DATA = {"outcome": "done", "notes": "Read the file and spoke to the person."}
SECRET = "bench-secret-" + "b" * 40
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# -- databases -----------------------------------------------------------------------
def database_url(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite'}"
    if kind == "postgres":
        from pg_server import server
        return server().new_database()
    return kind  # an explicit URL


def settings_for(url: str, workflows: Path = FIXTURES, forms: Path = FIXTURES / "forms",
                 process: str = PROCESS) -> dict:
    return {"ENV": "testing", "TESTING": False, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url,
            "DEMO_USERS": True, "WORKFLOWS_DIR": workflows, "FORMS_DIR": forms, "DEFAULT_PROCESS": process,
            "LOG_FORMAT": "json", "WTF_CSRF_ENABLED": False}


def make_service_app(url: str, **overrides):
    from service import create_app
    return create_app({**settings_for(url), **overrides})


def prepare_schema(app) -> None:
    """Schema, the benchmark diagram and the demo users (password 'demo')."""
    from service.cli import create_schema, shipped_workflows
    from service.domain import users
    from service.domain.definitions import deploy
    from service.domain.transaction import transaction
    from service.extensions import db
    from service.services import context
    with app.app_context():
        create_schema()
        with transaction(db.session):
            deploy(context(), shipped_workflows(app.config["WORKFLOWS_DIR"]), "system", "benchmark")
            users.seed_demo_users(db.session)
        app.extensions["boundary.bundles"].clear()


def issue_token(app, username: str = "case_officer") -> str:
    from service.domain import users
    from service.domain.transaction import transaction
    from service.extensions import db
    with app.app_context():
        with transaction(db.session):
            return users.issue_token(db.session, users.find_user(db.session, username), 48)


# -- bulk cases ----------------------------------------------------------------------
def _templates(app) -> list[int]:
    """One case per position: template k has k of the fifteen tasks done."""
    from service.domain import cases, tasks, users
    from service.domain.transaction import transaction
    from service.extensions import db
    from service.services import context
    ids = []
    with app.app_context():
        officer = users.find_user(db.session, "case_officer")
        for position in range(STEPS):
            with transaction(db.session):
                case = cases.start_case(context(), officer, {**START, "matter_reference": f"T-{position}"})
            for _ in range(position):
                ready = tasks.list_tasks(context(), officer)
                mine = [t for t in ready if t.case_id == case.id]
                with transaction(db.session):
                    tasks.complete_task(context(), officer, mine[0].id, STEP_DATA)
            ids.append(case.id)
    return ids


def populate(app, count: int, batch: int = 5000, seed: int = 1) -> None:
    """Store ``count`` cases (templates included), spread evenly over the fifteen positions."""
    from sqlalchemy import func, insert, select

    from service.extensions import db
    from service.models import AuditEvent, Case, TaskRecord

    with app.app_context():
        existing = db.session.scalar(select(func.count()).select_from(Case)) or 0
    templates = _templates(app) if existing == 0 else []
    with app.app_context():
        if not templates:
            templates = list(db.session.scalars(select(Case.id).order_by(Case.id).limit(STEPS)))
        rows = {}
        for case_id in templates:
            case = db.session.get(Case, case_id)
            case_row = {c.name: getattr(case, c.key) for c in Case.__table__.columns if c.name != "id"}
            task_rows = [{c.name: getattr(t, c.key) for c in TaskRecord.__table__.columns}
                         for t in db.session.scalars(select(TaskRecord).where(TaskRecord.case_id == case_id))]
            audit_rows = [{c.name: getattr(a, c.key) for c in AuditEvent.__table__.columns if c.name != "id"}
                          for a in db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id))]
            rows[case_id] = (case_row, task_rows, audit_rows)
        next_id = (db.session.scalar(select(func.max(Case.id))) or 0) + 1
        to_make = max(count - existing - len(templates), 0)
        engine = db.engine
        rng = random.Random(seed)
        made = 0
        while made < to_make:
            size = min(batch, to_make - made)
            cases, task_rows, audit_rows = [], [], []
            for offset in range(size):
                template = templates[(made + offset) % len(templates)]
                case_row, template_tasks, template_audit = rows[template]
                new_id = next_id + made + offset
                mapping: dict[str, str] = {}

                def fresh(match, mapping=mapping):
                    old = match.group(0)
                    if old not in mapping:
                        mapping[old] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    return mapping[old]

                state = UUID_RE.sub(fresh, case_row["state"])
                cases.append({**case_row, "id": new_id, "state": state,
                              "matter_reference": f"B-{new_id}", "version": 1})
                for task in template_tasks:
                    task_rows.append({**task, "id": mapping.get(task["id"], str(uuid.uuid4())), "case_id": new_id})
                for event in template_audit:
                    audit_rows.append({**event, "case_id": new_id,
                                       "task_id": mapping.get(event["task_id"]) if event["task_id"] else None})
            with engine.begin() as connection:
                connection.execute(insert(Case.__table__), cases)
                connection.execute(insert(TaskRecord.__table__), task_rows)
                connection.execute(insert(AuditEvent.__table__), audit_rows)
            made += size
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.exec_driver_sql("SELECT setval(pg_get_serial_sequence('cases', 'id'), "
                                           "(SELECT max(id) FROM cases))")
                connection.exec_driver_sql("ANALYZE")
        else:
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        db.session.remove()


def ready_tasks(app, limit: int | None = None, seed: int = 7) -> list[tuple[int, str]]:
    """(case id, ready task id) pairs in random order."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import TaskRecord
    with app.app_context():
        pairs = list(db.session.execute(select(TaskRecord.case_id, TaskRecord.id).where(TaskRecord.status == "ready")))
        db.session.remove()
    random.Random(seed).shuffle(pairs)
    return [tuple(p) for p in (pairs[:limit] if limit else pairs)]


def stored_bytes(app) -> dict[str, int]:
    """Bytes the database holds per table (PostgreSQL: relation sizes; SQLite: dbstat)."""
    from service.extensions import db
    with app.app_context():
        with db.engine.connect() as connection:
            if db.engine.dialect.name == "postgresql":
                rows = connection.exec_driver_sql(
                    "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'").all()
            else:
                rows = connection.exec_driver_sql("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").all()
    return {name: int(size) for name, size in rows}


# -- gunicorn ------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """``gunicorn -c python:service.gunicorn_conf service.wsgi:app`` as production runs it."""

    def __init__(self, url: str, workers: int = 2, workflows: Path = FIXTURES, forms: Path = FIXTURES / "forms",
                 process: str = PROCESS, extra_env: dict | None = None):
        self.port = free_port()
        self.logs = Path(tempfile.mkdtemp(prefix="boundary-bench-logs-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOUNDARY_", "PROMETHEUS_"))}
        env.update({"BOUNDARY_ENV": "production", "DATABASE_URL": url, "SECRET_KEY": SECRET,
                    "BOUNDARY_WORKFLOWS_DIR": str(workflows), "BOUNDARY_FORMS_DIR": str(forms),
                    "BOUNDARY_DEFAULT_PROCESS": process, "BOUNDARY_BIND": f"127.0.0.1:{self.port}",
                    "WEB_CONCURRENCY": str(workers), **(extra_env or {})})
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "-c", "python:service.gunicorn_conf", "service.wsgi:app"], cwd=CHECKOUT, env=env,
            stdout=open(self.logs / "out.log", "wb"), stderr=open(self.logs / "err.log", "wb"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.logs / "err.log").read_text()[-3000:])
            try:
                if request(self.port, "GET", "/api/v1/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        time.sleep(1.0)  # let every worker finish booting (each parses the deployed BPMN once)

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _processes():
    """(pid, parent pid, command name) of every process still there."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, rest = stat.split("(", 1)[1].rsplit(")", 1)
            yield int(entry), int(rest.split()[1]), name


def child_pids(pid: int) -> list[int]:
    return [child for child, parent, _ in _processes() if parent == pid]


def database_server_pids() -> list[int]:
    """Every PostgreSQL process on the machine (the benchmark's server is meant to be the only one)."""
    return [pid for pid, _, name in _processes() if name == "postgres"]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def request(port: int, method: str, path: str, body=None, token: str | None = None, timeout: float = 30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        return response.status, raw
    finally:
        connection.close()


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # seconds, successful completions
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    client_cpu: float = 0.0  # cores the load clients themselves used (they share the machine)
    remaining: list = field(default_factory=list)  # ready tasks not yet completed, for a next run

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def _complete(port: int, token: str, task_id: str, since: float, run: Run, queue, lock) -> None:
    """One completion through the API; its latency counts from ``since``; the case's next task
    goes to the back of the line."""
    status, body = request(port, "POST", f"/api/v1/tasks/{task_id}/complete", {"data": STEP_DATA}, token)
    took = time.perf_counter() - since
    following = json.loads(body)["ready_tasks"] if status == 200 else []
    with lock:
        run.statuses[status] = run.statuses.get(status, 0) + 1
        if status == 200:
            run.latencies.append(took)
        for task in following:
            queue.appendleft((task["case_id"], task["id"]))


def drive_http(port: int, token: str, targets: list[tuple[int, str]], clients: int, seconds: float,
               warmup: int = 20) -> Run:
    """``clients`` threads complete the given ready tasks (one per case) for up to ``seconds``."""
    for _, task_id in targets[:warmup]:
        request(port, "POST", f"/api/v1/tasks/{task_id}/complete", {"data": STEP_DATA}, token)
    queue = collections.deque(targets[warmup:])
    lock = threading.Lock()
    run = Run()
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                _, task_id = queue.pop()
            _complete(port, token, task_id, time.perf_counter(), run, queue, lock)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    cpu_before = os.times()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - began
    cpu_after = os.times()
    run.client_cpu = (cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system) / run.elapsed
    run.remaining = list(queue)
    return run


def drive_open_loop(port: int, token: str, targets: list[tuple[int, str]], rate: float, seconds: float,
                    senders: int = 24, seed: int = 11) -> Run:
    """Offer completions at ``rate`` per second (Poisson arrivals) for ``seconds``, whatever the answers.

    Closed-loop clients wait for each answer, so their latency is set by how
    many there are (Little's law); an office's staff do not wait for each
    other. Each latency is measured from the moment the request was due, so a
    request that had to wait for a free sender counts that wait
    (no coordinated omission). ``senders`` threads share the due requests.
    """
    queue = collections.deque(targets)
    lock, due = threading.Lock(), collections.deque()
    rng = random.Random(seed)
    run = Run()
    began = time.perf_counter()
    at = began
    while at < began + seconds:  # the arrival schedule, fixed before the first request
        at += rng.expovariate(rate)
        due.append(at)

    def sender():
        while True:
            with lock:
                if not due or not queue:
                    return
                when = due.popleft()
                _, task_id = queue.pop()
            wait = when - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            _complete(port, token, task_id, when, run, queue, lock)

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - began
    run.remaining = list(queue)
    return run


def drive_test_client(app, token: str, targets: list[tuple[int, str]], count: int, warmup: int = 20) -> Run:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for _, task_id in targets[:warmup]:
        client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": STEP_DATA}, headers=headers)
    run = Run()
    began = time.perf_counter()
    for _, task_id in targets[warmup:warmup + count]:
        started = time.perf_counter()
        response = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": STEP_DATA}, headers=headers)
        took = time.perf_counter() - started
        run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1
        if response.status_code == 200:
            run.latencies.append(took)
    run.elapsed = time.perf_counter() - began
    return run


# -- the raw engine baseline --------------------------------------------------------
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


def summary(values: list[float]) -> dict:
    return {"n": len(values), "mean_ms": statistics.fmean(values) * 1000 if values else float("nan"),
            "p50_ms": percentile(values, 50) * 1000, "p95_ms": percentile(values, 95) * 1000,
            "p99_ms": percentile(values, 99) * 1000}


def machine() -> str:
    import platform
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(open("/proc/meminfo").readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}, {platform.system()}"
