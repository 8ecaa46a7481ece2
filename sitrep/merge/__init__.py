"""The reduce side: one event per real-world event across articles, and ceasefires."""

from sitrep.merge.core import Report, cluster, compatible, merged_record, report_rows

__all__ = ["Report", "cluster", "compatible", "merged_record", "report_rows"]
