"""The course of treatment on the ward (issue 15): releasing each cycle of an issued plan
(docs/adr/0021-treatment-course.md). Uses patients, regimens, accounts and core; nothing uses it but config."""
