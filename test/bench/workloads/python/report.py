"""Merges count files: per word its total and the share of each file, one line per (word, file)."""
import collections
import os
import sys

totals = collections.Counter()
per_file = collections.defaultdict(dict)
for path in sys.argv[1:]:
    name = os.path.basename(path)
    with open(path) as f:
        for line in f:
            n, _, word = line.rstrip("\n").split("\t")
            totals[word] += int(n)
            per_file[word][name] = per_file[word].get(name, 0) + int(n)
for word, total in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"{word}\t{total}")
    for name, n in sorted(per_file[word].items()):
        print(f"  {name}\t{n}\t{n / total:.4f}")
