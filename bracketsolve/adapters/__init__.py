"""Thin adapters to training stacks (reasoning-gym, verl, TRL): each imports its framework only if it is there."""
