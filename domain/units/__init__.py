"""Party organisations: kinds, events, the unit aggregate and the tree through time (R-UNIT-TREE)."""
