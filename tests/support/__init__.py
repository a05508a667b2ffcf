"""Test helpers that build no rows or files (those are in tests/factories/)."""
