"""Listening for a PostGIS store's announcements (LISTEN/NOTIFY) on a connection of its own, which a
GUI event loop watches for readability: nothing is polled, and a desk learns of a new case within a
round trip of its commit."""

from __future__ import annotations

from gridmap.store.errors import StoreError
from gridmap.store.postgis.connection import APPLICATION, _display
from gridmap.store.postgis.schema import CASES_CHANNEL


class Listener:
    """A connection LISTENing on one channel. ``fileno()`` becomes readable when something arrived;
    ``drain()`` returns the payloads received so far without waiting."""

    def __init__(self, uri: str, channel: str = CASES_CHANNEL):
        import psycopg  # noqa: PLC0415

        self.uri = uri
        try:
            self.raw = psycopg.connect(uri, autocommit=True, application_name=f"{APPLICATION} listener",
                                       connect_timeout=10)
            self.raw.execute(f"LISTEN {channel}")
        except psycopg.OperationalError as exc:
            raise StoreError(f"{_display(uri)}: cannot listen for changes: {str(exc).strip()}") from exc

    def fileno(self) -> int:
        return self.raw.fileno()

    def drain(self) -> list[str]:
        """The payloads that arrived, in order; raises StoreError when the connection was lost."""
        import psycopg  # noqa: PLC0415

        pgconn = self.raw.pgconn
        payloads = []
        try:
            pgconn.consume_input()
        except psycopg.OperationalError as exc:
            raise StoreError(f"{_display(self.uri)}: the change announcements stopped: {str(exc).strip()}") from exc
        while (notice := pgconn.notifies()) is not None:
            payloads.append(notice.extra.decode())
        return payloads

    def close(self) -> None:
        if not self.raw.closed:
            self.raw.close()
