"""The SpatiaLite store: schema, migrations, transactions, queries."""

from gridmap.store.connection import Store, create_store, open_store
from gridmap.store.errors import StoreError

__all__ = ["Store", "StoreError", "create_store", "open_store"]
