"""Scripts that build data at scale and print ratios against a baseline.

Not part of the test run; see benchmarks/README.md.
"""
