"""The solver core: puzzle text -> `Puzzle` -> value tables (engines) -> `Result`."""
