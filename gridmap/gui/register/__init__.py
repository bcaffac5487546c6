"""The asset register at the desk (issue 15): components edited on the map in an edit session, their
history, the register on a date, inspections and where the supervisors are."""
