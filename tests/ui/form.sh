#!/bin/sh
# form.sh - the new-case form: a pasted MRZ checked as it is typed (a
# letter O for a zero: the hint, F6 fixes it), the form filled from it,
# validation when leaving a field, country completion, saving; an edit.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/ui/screen.lib"

setup
as ana
L1='P<PAKKHAN<<IMRAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<'
L2BAD='AB12345671PAK91O4129M3001019<<<<<<<<<<<<<<<6'
cat >"$T/new.script" <<S
key n
:save-display $T/form-empty.txt
type $L1
key Enter
type $L2BAD
:save-display $T/mrz-bad.txt
key F6
:save-display $T/mrz-fixed.txt
key Enter
key Enter
type RS MUP
key Enter
:save-display $T/field-bad.txt
key Up
key ^U
type PK-MOI
key Enter
key Enter
key Enter
type pro
key ^T
key Down
key Down
key Down
key Down
key Down
key Down
key Down
key Down
key Down
key Down
key ^U
type Serbi
key ^T
:save-display $T/completed.txt
key F2
:save-display $T/saved.txt
S
screen new ana
dump_ok form-empty "$T/form-empty.txt"
dump_ok form-mrz-bad "$T/mrz-bad.txt"
dump_ok form-mrz-fixed "$T/mrz-fixed.txt"
dump_ok form-field-bad "$T/field-bad.txt"
dump_ok form-completed "$T/completed.txt"
dump_ok form-saved "$T/saved.txt"
check "the case is in the database" "no KHAN with PK-MOI" \
	[ "$(sql "SELECT surnames || ' ' || requested_agency || ' ' || evidence_basis FROM cases")" = "KHAN PK-MOI proof" ]
check "the document with its MRZ" "no document" \
	[ "$(sql "SELECT number || ' ' || length(mrz) FROM documents")" = "AB1234567 89" ]

# an edit: Cyrillic and combining characters typed into a field
cat >"$T/edit.script" <<S
key Enter
key e
key Down
key Down
key Down
key Down
key Down
key Down
type Имран Кхан
key F2
:save-display $T/edited.txt
S
screen edit ana
dump_ok form-edited "$T/edited.txt"
check "the edit is saved" "name_native" \
	[ "$(sql "SELECT name_native FROM cases")" = "Имран Кхан" ]
summary
