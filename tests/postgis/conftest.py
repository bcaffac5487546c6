"""A real PostgreSQL + PostGIS cluster for the tests, started once per session in a temporary folder
(tests/pgcluster.py) and stopped at the end; each test gets a database of its own."""

import itertools
import tempfile
from pathlib import Path

import pytest

from tests.pgcluster import Cluster

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster():
    # in /tmp itself: the server runs as 'postgres' when the tests run as root, and pytest's own
    # temporary folders are private to root
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="gridmap-pg-"))).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_uri(pg_cluster) -> str:
    """The URI of a new, empty database in the session's cluster."""
    return pg_cluster.create_database(f"t{next(_names)}")
