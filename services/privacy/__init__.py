"""Personal data under Law 91/2025/QH15 and Decree 356/2025/NĐ-CP (issue 20, I13): the catalogue of classed
fields, who may read what, retention by outcome, the figures measured from the log, and the register."""
