"""Loaders per format, chunking, document typing and the sync pipeline."""
