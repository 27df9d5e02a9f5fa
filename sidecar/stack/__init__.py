"""The local stack: every part a real process on 127.0.0.1 (``phi-guard up/down/token/demo``, test fixtures).

``runner`` starts/stops it (one code path for users and tests), ``launchers`` holds one launcher per process,
``state`` the stack.json/PID bookkeeping, ``info`` the view users and tests get (``StackInfo``), ``certs``
the dev PKI, ``dev_issuer`` and ``demo_model`` the two dev servers, ``demo``/``demo_steps`` the scenario.
"""
