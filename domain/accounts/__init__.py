"""Accounts and role assignments as facts of the ledger (R-ACCT-…): who may act for which unit, and when."""
