"""Loaders for the municipal export files (see docs/formats.md)."""
