"""The demo shop's data files (package data; see data/generate_demo.py)."""
