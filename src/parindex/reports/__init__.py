"""The reports: the yearly report, the trends across years and the province profile, with their charts."""
