"""Prints how often each (column, word) occurs in a token file, most frequent first."""
import collections
import sys

counts = collections.Counter()
with open(sys.argv[1]) as f:
    for line in f:
        _, column, word = line.rstrip("\n").split("\t")
        counts[(column, word)] += 1
for (column, word), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"{n}\t{column}\t{word}")
