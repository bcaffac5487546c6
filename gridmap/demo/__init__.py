"""The demo city: a deterministic, Dongsheng-like district built from a seed.

Layers above store/ and domain/: it draws the city (geometry.py), groups it into
the administrative and grid hierarchies (hierarchy.py), places components
(components.py), staff (people.py) and a case history (incidents.py), and
writes it all to a new store (build.py).
"""
