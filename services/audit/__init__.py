"""Auditors (DESIGN I6, I7, I9): history, "as of" on both clocks, replay checks, verify, seals, export."""
