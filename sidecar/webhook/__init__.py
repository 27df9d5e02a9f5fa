"""Sidecar injection: a Kubernetes mutating admission webhook that adds Envoy and the guard to opted-in pods.

``injection`` is the pure mutation (pod in, JSONPatch out); ``server`` serves it over TLS; ``commands`` adds
``phi-guard webhook``. The sidecar containers come from the Helm library chart ``phi-guard-sidecar``,
rendered by
the main chart into the file passed as ``--sidecar-config`` (see :class:`InjectionConfig`).
"""
