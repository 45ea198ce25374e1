#!/usr/bin/env bash
# Static checks, as TAP: checkpatch --strict on every kernel-side C file
# (kmod/, and the offload-jit core that is compiled into the module), a
# W=1 build of the module that must print no warning, and the RTL's
# verilator lint when the RTL exists; cppcheck on userspace C, shellcheck,
# pyflakes; and the commit messages (scripts/lint-commits.sh).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO" || exit 1
eval "$("$REPO/scripts/kernel-env.sh" --check)" ||
	{ echo "Bail out! kernel build dir not prepared: run make kernel"; exit 1; }

n=0 failed=0
result() {	# result OK NAME [details file]
	n=$((n + 1))
	if (($1)); then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[[ -n ${3:-} ]] && sed 's/^/# /' "$3"
		failed=1
	fi
}

echo "TAP version 13"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

mapfile -t kfiles < <(git ls-files 'kmod/*.[ch]' 'offload-jit/core/*.[ch]' \
	'offload-jit/include/*.h' 'hw/isa/codec.c' 'hw/isa/isa_tables.c' \
	'hw/isa/offnic_isa.h')
for f in "${kfiles[@]}"; do
	perl "$CHECKPATCH" --no-tree --strict --terse --quiet \
		-f "$f" 2>&1 | grep -E 'ERROR|WARNING|CHECK' > "$tmp"
	result "$( [[ -s $tmp ]] && echo 0 || echo 1)" "checkpatch --strict $f" "$tmp"
done

# A fresh tree, so every file is compiled and every warning is seen.
lk=$REPO/build/lint/kmod
rm -rf "$lk" && mkdir -p "$lk/hw"
cp -rs "$REPO/Kbuild" "$REPO/kmod" "$lk/"
cp -rs "$REPO/hw/include" "$REPO/hw/isa" "$lk/hw/"
[[ -d offload-jit ]] && cp -rs "$REPO/offload-jit" "$lk/"
make -s -C "$KDIR" M="$lk" O= W=1 modules > "$tmp" 2>&1
grep -E 'warning:|error:' "$tmp" > "$tmp.w"
result "$( [[ -s $tmp.w ]] && echo 0 || echo 1)" "offnic.ko builds with W=1 and no warning" "$tmp.w"
rm -f "$tmp.w"

if [[ -f hw/rtl/Makefile ]] && grep -q '^lint:' hw/rtl/Makefile; then
	ok=0
	make -s -C hw/rtl lint O="$REPO/build/rtl" > "$tmp" 2>&1 && ok=1
	result "$ok" "verilator --lint-only -Wall hw/rtl" "$tmp"
fi

# Userspace C: cppcheck's warning and portability classes (bugs, not
# style; the kernel side has checkpatch). Findings in the kernel's own
# kselftest headers are not ours to fix.
mapfile -t ufiles < <(git ls-files 'hw/*.c' 'offload-jit/tools/*.c' \
	'offload-jit/tests/*.c' 'offload-jit/port/*.c' 'scripts/*.c' \
	'selftests/*.c' 'fuzz/*.c' 'corpus/*.c' 'loader/*.c' | grep -v '\.bpf\.c$')
cppcheck -q --enable=warning,portability --inline-suppr --error-exitcode=1 \
	-I hw/include -I hw/asm -I offload-jit/include -I "$HARNESS_DIR" \
	--suppress=missingIncludeSystem --suppress='*:*/linux-source-*' \
	'-DLIBBPF_OPTS(TYPE,NAME,...)=struct TYPE NAME = {}' \
	'-Dbpf_object__for_each_program(p,o)=while ((p = NULL))' \
	'-Dbpf_object__for_each_map(p,o)=while ((p = NULL))' \
	--template='{file}:{line}: {id}: {message}' "${ufiles[@]}" > "$tmp" 2>&1
grep -E '^[^ ].*:[0-9]+: [A-Za-z]+: ' "$tmp" > "$tmp.c"
result "$( [[ -s $tmp.c ]] && echo 0 || echo 1)" \
	"cppcheck on ${#ufiles[@]} userspace C files" "$tmp.c"

# Shell (settings and their reasons in .shellcheckrc) and Python
mapfile -t sfiles < <(git ls-files '*.sh' .ci/run)
shellcheck -x -f gcc "${sfiles[@]}" > "$tmp" 2>&1
result "$( [[ -s $tmp ]] && echo 0 || echo 1)" \
	"shellcheck on ${#sfiles[@]} shell scripts" "$tmp"
mapfile -t pfiles < <(git ls-files '*.py')
: > "$tmp"
((${#pfiles[@]})) && pyflakes3 "${pfiles[@]}" > "$tmp" 2>&1
result "$( [[ -s $tmp ]] && echo 0 || echo 1)" \
	"pyflakes on ${#pfiles[@]} Python files" "$tmp"

# Commit messages since the policy commit (CONTRIBUTING.md)
"$REPO/scripts/lint-commits.sh" > "$tmp" 2>&1
grep '^not ok' "$tmp" > "$tmp.c"
result "$( [[ -s $tmp.c ]] && echo 0 || echo 1)" \
	"commits follow CONTRIBUTING.md ($(grep -c '^ok' "$tmp") checks)" "$tmp.c"
rm -f "$tmp.c"

echo "1..$n"
exit "$failed"
