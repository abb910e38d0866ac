"""``make run``: the web server on 127.0.0.1:$PORT (gunicorn), for one user on one machine."""
from __future__ import annotations

import os
import subprocess
import sys


def main() -> None:
    port = os.environ.get("PORT", "5000")
    bin_dir = os.path.dirname(sys.executable)
    # The timer worker runs beside the web server and stops when it does (see worker.run).
    subprocess.Popen([os.path.join(bin_dir, "boundary-worker")],
                     env={**os.environ, "BOUNDARY_WORKER_PARENT": str(os.getpid())})
    print(f"Boundary is running at http://127.0.0.1:{port}/  (Ctrl+C stops it)", flush=True)
    os.execv(os.path.join(bin_dir, "gunicorn"), [
        "gunicorn", "-c", "python:service.gunicorn_conf",  # production's settings (no Server header, ...)
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-", "service.wsgi:app"])


if __name__ == "__main__":
    main()
