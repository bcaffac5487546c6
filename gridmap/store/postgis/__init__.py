"""The store on PostgreSQL + PostGIS, for a centre with many desks and devices (DESIGN.md).

Same tables, columns, constraints, codes and rules as the SpatiaLite file (schema.py is the one
source of the table definitions); what differs per engine lives here: the connection (psycopg), the
DDL's types, the triggers in PL/pgSQL, GiST spatial indexes.
"""
