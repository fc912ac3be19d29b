"""The party's rules by date (DOMAIN.md §0): numbers in `RuleSet`s, checks named after their rule ids."""
