"""Evaluation tools built on the solver: checking answers, reading model outputs, grading, generating puzzles."""
