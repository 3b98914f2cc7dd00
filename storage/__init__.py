"""Persistence: SQLAlchemy 2.0 typed models, repositories and Alembic migrations.

Nothing outside this package writes SQL.
"""
