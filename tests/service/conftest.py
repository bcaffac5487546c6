import contextlib
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


@contextlib.contextmanager
def running(config: uvicorn.Config):
    """A uvicorn server for ``config`` in a thread of this process, started, and stopped after the block."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield server
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def a_token(location) -> str:
    """A device token for the first supervisor of the store at ``location``."""
    with open_store(location) as store:
        staff = store.conn.execute("SELECT staff_code FROM supervisor_assignment ORDER BY staff_code").fetchone()[0]
        return create_token(store, staff)


@pytest.fixture
def service(small_demo):
    """The intake service on a free localhost port over a private demo copy; yields (url, token, path)."""
    port = free_port()
    with running(uvicorn.Config(create_app(small_demo), host="127.0.0.1", port=port, log_level="error")):
        yield f"http://127.0.0.1:{port}", a_token(small_demo), small_demo
