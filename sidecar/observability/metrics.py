"""Prometheus metrics, in a registry owned by the server wiring (no process-global registry).

Label values are codes and types, never identities or content.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.decisions = Counter("phi_guard_decisions", "Authorization decisions", ["result", "reason"], registry=r)
        self.stage_seconds = Histogram(
            "phi_guard_stage_seconds", "Time spent per stage", ["stage"], buckets=STAGE_BUCKETS, registry=r
        )
        self.redactions = Counter("phi_guard_redactions", "Identifiers redacted", ["type"], registry=r)
        self.withheld = Counter("phi_guard_bodies_withheld", "Bodies withheld (fail closed)", ["cause"], registry=r)
        self.approvals = Counter("phi_guard_approvals", "Approval state changes", ["state"], registry=r)
        self.break_glass = Counter("phi_guard_break_glass", "Break-glass accesses", registry=r)
        self.jwks_fetches = Counter("phi_guard_jwks_fetches", "JWKS fetches", ["result"], registry=r)
        self.policy_reloads = Counter("phi_guard_policy_reloads", "Policy reload attempts", ["result"], registry=r)
        self.policy_info = Gauge("phi_guard_policy_loaded", "1 when a policy is in force", ["version"], registry=r)
        self.audit_spool_bytes = Gauge("phi_guard_audit_spool_bytes", "Bytes in the local audit spool", registry=r)
        self.audit_backlog = Gauge("phi_guard_audit_backlog_segments", "Sealed segments not yet shipped", registry=r)
        self.audit_lag = Gauge(
            "phi_guard_audit_shipping_lag_seconds", "Age of the oldest unshipped segment", registry=r
        )
        self.audit_ship_failures = Counter("phi_guard_audit_ship_failures", "Failed segment uploads", registry=r)
        self.audit_events = Counter("phi_guard_audit_events", "Audit events spooled", ["kind"], registry=r)
        self.handoff_missing = Counter(
            "phi_guard_handoff_missing",
            "Responses without ext_authz metadata (Envoy's own replies, or metadata forwarding not configured)",
            registry=r,
        )
        self.ready = Gauge("phi_guard_ready", "1 when ready to serve", registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
