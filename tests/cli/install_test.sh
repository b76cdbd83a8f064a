#!/usr/bin/env bash
# `cmake --install` gives a relocatable samplersim (README "Installing"): the prefix holds the
# binary and the built-in scenarios and sweeps; moved elsewhere and run from an unrelated directory
# without SAMPLERSIM_SCENARIOS, `run issue-5489 --reps 10` prints the same table as the build tree's
# binary; a lone copy of the binary (no share/ beside it) finds no built-in scenario, so nothing
# falls back to a path compiled in; SAMPLERSIM_SCENARIOS points any copy at a scenario folder; and
# the binary holds no absolute path of the source tree.
#
#   bash tests/cli/install_test.sh CMAKE BUILD_DIR SOURCE_DIR
set -euo pipefail
cmake=$1 build=$2 source=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "install test: $*" >&2; exit 1; }
unset SAMPLERSIM_SCENARIOS

"$cmake" --install "$build" --prefix "$work/x" > "$work/install.log" || fail "cmake --install failed: $(cat "$work/install.log")"
[ -x "$work/x/bin/samplersim" ] || fail "no bin/samplersim in the prefix"
for f in issue-5489.toml grid-4x5-w4.toml sweeps/builtin.toml SCHEMA.md; do
  [ -f "$work/x/share/samplersim/scenarios/$f" ] || fail "share/samplersim/scenarios/$f was not installed"
done
if grep -rqF -- "$source" "$work/x/bin/samplersim"; then fail "bin/samplersim contains the source path $source"; fi

mv "$work/x" "$work/moved"
mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$build/samplersim" run issue-5489 --reps 10 > build-tree.txt || fail "the build tree's binary failed"
"$work/moved/bin/samplersim" run issue-5489 --reps 10 > installed.txt 2> installed.err \
  || fail "the installed binary failed: $(cat installed.err)"
cmp -s build-tree.txt installed.txt || fail "the installed binary printed another table: $(diff build-tree.txt installed.txt)"
"$work/moved/bin/samplersim" list > list.txt
head -1 list.txt | grep -qF "$work/moved/share/samplersim/scenarios" || fail "list names another folder: $(head -1 list.txt)"

mkdir -p "$work/lone/bin"
cp "$build/samplersim" "$work/lone/bin/"
status=0
"$work/lone/bin/samplersim" run issue-5489 --reps 10 > lone.txt 2> lone.err || status=$?
[ "$status" -eq 2 ] || fail "a lone binary should find no built-in scenario (exit 2), got exit $status: $(cat lone.err)"
SAMPLERSIM_SCENARIOS="$work/moved/share/samplersim/scenarios" "$work/lone/bin/samplersim" run issue-5489 --reps 10 \
  > lone.txt || fail "SAMPLERSIM_SCENARIOS was not used"
cmp -s build-tree.txt lone.txt || fail "with SAMPLERSIM_SCENARIOS the table differs"
echo "install test: ok"
