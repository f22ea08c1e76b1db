"""Free-order games on the exact engine: the 24 game and Countdown (rules, input, results, classes)."""
