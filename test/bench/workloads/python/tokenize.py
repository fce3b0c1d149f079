"""Prints one line per token of a CSV data file: row number, column name and the lowercased word."""
import csv
import re
import sys

WORD = re.compile(r"[a-z]+")

with open(sys.argv[1], newline="") as f:
    rows = csv.DictReader(f)
    for i, row in enumerate(rows):
        for column in ("title", "body"):
            for word in WORD.findall(row[column].lower()):
                print(f"{i}\t{column}\t{word}")
