#!/usr/bin/env bash
# Issue 10's per-file shell pipeline: word frequencies of every in/*.txt into out/NAME.txt, one
# pipeline per file, then a merge of all of them into total.txt. Run from the directory holding in/.
set -euo pipefail
mkdir -p out
for f in in/*.txt; do
  name=${f##*/}
  tr -cs 'A-Za-z' '\n' < "$f" | tr A-Z a-z | grep -v '^$' | sort | uniq -c | sort -rn > "out/$name"
done
# per word, the sum of its counts over the files; ties in a stable order so the output is deterministic
cat out/*.txt | awk '{ n[$2] += $1 } END { for (w in n) print n[w], w }' | sort -k1,1rn -k2,2 > total.txt
