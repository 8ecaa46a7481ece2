"""Time: publication dates and time expressions."""
