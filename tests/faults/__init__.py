"""Fault injection for tests: a TCP proxy that drops, blackholes, delays or cuts traffic."""
