"""Demo steps, one module per feature; see :mod:`sandbox.scenario`."""
