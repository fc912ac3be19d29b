"""One aggregate per person: the admission file, probation, membership, departures and readmission."""
