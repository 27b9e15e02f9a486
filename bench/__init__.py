"""`make bench`: the hot paths against the framework floor, at 1,000 and 1,000,000 bookings.

See DESIGN.md "Performance budgets" and README.md "Performance".
"""
