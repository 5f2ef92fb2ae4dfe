#!/usr/bin/env bash
# same-output.sh BASE_REF: proves that the working tree's `taxa` prints the
# same bytes as BASE_REF's for every bundled example (text and JSON, versions,
# periods, lenient runs, rule errors, data errors) and for a generated
# 100 000-visit month (shared/bench/gen.py, seed 1).
#
#   bash scripts/same-output.sh 77052dd            # a refactoring must print 0 differences
#   SHARED=../shared N=100000 bash scripts/same-output.sh HEAD~3
#   BASE_INPUTS=1 bash scripts/same-output.sh dfd0c12   # rule files rewritten
#
# With BASE_INPUTS=1 the base binary reads BASE's own rule files, examples
# and diagnostic cases (extracted with git archive), the new one the working
# tree's: a change that rewrites the bundled rule files in new syntax must
# still pay, print and cite the same. Diagnostic cases BASE lacks are left
# out of that comparison.
#
# BASE_REF is built in a worktree under target/same-output/; outputs, exit
# codes and stderr of both binaries go to target/same-output/{base,new}/ and
# are compared byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?usage: same-output.sh BASE_REF}
N=${N:-100000}
SHARED=${SHARED:-../shared}
WORK=target/same-output
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# The base binary: built once per commit and cached.
rev=$(git rev-parse "$BASE")
base_bin="$WORK/bin-$rev"
if [ ! -x "$base_bin" ]; then
    rm -rf "$WORK/tree"
    git worktree prune
    git worktree add --detach "$WORK/tree" "$rev" >/dev/null
    (cd "$WORK/tree" && CARGO_TARGET_DIR="$WORK/target" cargo build --release --quiet)
    cp "$WORK/target/release/taxa" "$base_bin"
    git worktree remove --force "$WORK/tree"
fi
cargo build --release --quiet
new_bin=$(pwd)/target/release/taxa

# The generated month, cached like compare.sh caches its sets.
gen="$WORK/gen-$N"
if [ ! -f "$gen/.complete" ]; then
    rm -rf "$gen"; mkdir -p "$gen"
    python3 "$SHARED/bench/gen.py" --visits "$N" --out "$gen" --seed 1 >/dev/null
    touch "$gen/.complete"
fi

# Each case: a name and the arguments of one taxa call.
cases=()
add() { cases+=("$1|$2"); }
for ex in examples/*/; do
    ex=${ex%/}; name=$(basename "$ex")
    rules=""
    for r in rules/*.taxa; do
        b=$(basename "$r" .taxa | sed 's/å/a/g; s/ä/a/g; s/ö/o/g')
        if [ "$b" = "$name" ]; then rules=$r; fi
    done
    # An example with a rule file of its own (examples/NAME/NAME.taxa), its
    # data beside it or in data/.
    data=$ex
    if [ -z "$rules" ] && [ -f "$ex/$name.taxa" ]; then
        rules=$ex/$name.taxa
        if [ -d "$ex/data" ]; then data=$ex/data; fi
    fi
    [ -n "$rules" ] || continue
    add "$name.text" "pay $rules --data $data --format text"
    add "$name.json" "pay $rules --data $data --format json"
    add "$name.lenient" "pay $rules --data $data --format json --lenient"
done
add versions.text "pay rules/norrtalje-2024.taxa rules/norrtalje-2025.taxa --data examples/norrtalje-2025 --format text"
add versions.json "pay rules/norrtalje-2024.taxa rules/norrtalje-2025.taxa --data examples/norrtalje-2025 --format json"
add versions-2024.json "pay rules/norrtalje-2025.taxa rules/norrtalje-2024.taxa --data examples/norrtalje-2024 --format json"
add period.json "pay rules/norrtalje-2024.taxa --data examples/norrtalje-2024 --period 2024-06 --format json"
add period-range.text "pay rules/norrtalje-2024.taxa --data examples/norrtalje-2024 --period 2024-01..2024-12 --format text"
add check.all "check rules/*.taxa"
inputs=""
if [ -n "${BASE_INPUTS:-}" ]; then
    inputs="$WORK/inputs-$rev"
    if [ ! -d "$inputs" ]; then
        mkdir -p "$inputs.tmp"
        git archive "$rev" rules examples tests/diagnostics | tar -x -C "$inputs.tmp"
        mv "$inputs.tmp" "$inputs"
    fi
fi
for t in tests/diagnostics/*.taxa; do
    if [ -n "$inputs" ] && [ ! -e "$inputs/$t" ]; then continue; fi
    add "diag.$(basename "$t" .taxa)" "check $t"
done
for d in tests/diagnostics/data/*/; do
    add "data.$(basename "$d")" "pay rules/norrtalje-2025.taxa --data $d --format json"
done
add gen.text "pay rules/norrtalje-2025.taxa --data $gen --format text"
add gen.json "pay rules/norrtalje-2025.taxa --data $gen --format json"
add gen.versions "pay rules/norrtalje-2024.taxa rules/norrtalje-2025.taxa --data $gen --format json"
for r in rules/*.taxa; do
    add "gen.$(basename "$r" .taxa).lenient" "pay $r --data $gen --format json --lenient"
done

run_all() {
    local bin=$1 out=$2 dir=${3:-.}
    rm -rf "$out"; mkdir -p "$out"
    for c in "${cases[@]}"; do
        local name=${c%%|*} args=${c#*|}
        # shellcheck disable=SC2086
        set +e; (cd "$dir" && "$bin" $args) >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.rc"; set -e
    done
}
run_all "$base_bin" "$WORK/base" "${inputs:-.}"
run_all "$new_bin" "$WORK/new"
if diff -r "$WORK/base" "$WORK/new" >"$WORK/diff.txt"; then
    echo "same-output: ${#cases[@]} cases, every stdout, stderr and exit code identical to $BASE ($rev)"
else
    echo "same-output: differences from $BASE ($rev), see $WORK/diff.txt:" >&2
    head -50 "$WORK/diff.txt" >&2
    exit 1
fi
