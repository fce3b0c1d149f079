#!/usr/bin/env bash
# Issue 10's Python workflow: python steps whose unbuffered output (PYTHONUNBUFFERED=1: one write
# per line) goes into redirected files. Per data file a tokenize step and a count step, then one
# report over all counts. Usage: bash run.sh PYTHON   (PYTHON: the interpreter, an absolute path)
set -euo pipefail
py=${1:?usage: run.sh PYTHON}
here=${BASH_SOURCE[0]%/*}
mkdir -p out/tokens out/counts
for f in data/*.csv; do
  name=${f##*/}; name=${name%.csv}
  "$py" "$here/tokenize.py" "$f" > "out/tokens/$name.txt"
  "$py" "$here/count.py" "out/tokens/$name.txt" > "out/counts/$name.txt"
done
"$py" "$here/report.py" out/counts/*.txt > out/report.txt
echo "report: $(wc -l < out/report.txt) lines"
