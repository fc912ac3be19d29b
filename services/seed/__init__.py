"""A realistic, deterministic province history written through the domain (`partyledger seed`)."""

from services.seed.generator import SeedReport, generate_province

__all__ = ["SeedReport", "generate_province"]
