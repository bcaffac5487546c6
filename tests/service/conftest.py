import socket
import threading
import time

import pytest
import uvicorn

from gridmap.service.app import create_app
from gridmap.store import open_store
from gridmap.store.cases import create_token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def service(small_demo):
    """The intake service on a free localhost port over a private demo copy; yields (url, token, path)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(small_demo), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    with open_store(small_demo) as store:
        staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY staff_code").fetchone()[0]
        token = create_token(store, staff)
    yield f"http://127.0.0.1:{port}", token, small_demo
    server.should_exit = True
    thread.join(timeout=10)
