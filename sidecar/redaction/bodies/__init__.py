"""Body processors: framing (JSON, SSE, NDJSON, text) and decompression around the shared redactor."""
