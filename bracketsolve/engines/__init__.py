"""The engines that build value tables: the pure-Python reference and the numba one, with one interface."""
