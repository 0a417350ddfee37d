"""The data layer: unit registers, params, ingest and validation, published facts, the demonstration panel."""
