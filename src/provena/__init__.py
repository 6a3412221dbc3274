"""Provena: verifiable supply chains."""
