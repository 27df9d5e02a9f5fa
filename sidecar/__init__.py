"""phi-guard: HIPAA enforcement for LLM calls, in Envoy's data path.

A request is followed top to bottom through the subpackages:
identity -> request_view/ai_request -> policy -> approvals -> (upstream) -> redaction -> audit,
wired together only in :mod:`sidecar.server`.
"""

__version__ = "0.1.0"
