"""Dev and demo code, outside the run-time package ``sidecar`` (the image ships without it).

The local stack: every part a real process on 127.0.0.1 (``phi-guard up/down/token/demo``, test fixtures).

``runner`` starts/stops it (one code path for users and tests), ``launchers`` holds one launcher per process,
``state`` the stack.json/PID bookkeeping, ``info`` the view users and tests get (``StackInfo``), ``certs``
the dev PKI, ``dev_issuer`` and ``demo_model`` the two dev servers, ``demo`` the scenario, with its steps in
``demo_steps`` (core), ``approvals_steps`` and ``audit_steps``.
"""
