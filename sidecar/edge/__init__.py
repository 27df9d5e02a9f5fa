"""The guard's edges: what the client receives besides the body (response headers) and what a caller may put
around the body (query string, request headers, content type)."""
