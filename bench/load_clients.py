"""Load clients: closed-loop and open-loop HTTP drivers, the Flask test client, and their summaries."""
from __future__ import annotations

import collections
import http.client
import json
import os
import random
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench_setup import STEP_DATA


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
