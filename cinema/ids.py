"""Primary keys are bigints: a larger number is "no such object", never a database error."""

MAX_ID = 2**63 - 1
