"""The database suite runs on SQLite and on PostgreSQL (fixture in tests/database_fixture.py)."""
