"""The testing kit: hypothesis strategies (public as `bracketsolve.strategies`) and the pytest plugin."""
