#!/bin/sh
# screens.sh - golden screen dumps at 80x24: request scripts
# (RCMS_UI_SCRIPT) drive `rcms ui`, :save-display writes the screen, and
# each dump must equal tests/ui/NAME.expected.  The help screen and the
# key table of rcms(1) come from the same request list.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/ui/screen.lib"

setup
as ana
new() { run "$RCMS" case new "$@"; }
new surnames=KHAN given_names="MUHAMMAD IMRAN" sex=M birth_date=1991-04-12 \
	nationality=PAK requested_agency=PK-MOI
new surnames=ALI given_names=FATIMA sex=F birth_date=1988 nationality=PAK \
	requested_agency=PK-MOI
new surnames="ПЕТРОВИЋ" given_names="Марко" nationality=SRB \
	requested_agency=PK-MOI
new surnames="MÜLLER-ÇELIK" given_names="José" nationality=DEU \
	requested_agency=PK-MOI
ref1=$(sql "SELECT local_ref FROM cases WHERE surnames = 'KHAN'")
# the same order every run: distinct change times
sql "UPDATE cases SET updated_at = 1000 + rowid, created_at = 1000 + rowid"

# ---- login --------------------------------------------------------------
cat >"$T/login.script" <<S
:save-display $T/login-empty.txt
type ana
key Enter
type wrong-password
key Enter
:save-display $T/login-wrong.txt
type $(cat "$(password_file ana)")
key Enter
:save-display $T/list.txt
S
screen login
dump_ok login-empty "$T/login-empty.txt"
dump_ok login-wrong "$T/login-wrong.txt"
dump_ok case-list "$T/list.txt"

# ---- the case list: moving, search as you type, filters, sort -----------
cat >"$T/list.script" <<S
key j
key j
:save-display $T/list-row3.txt
key End
key k
:save-display $T/list-from-end.txt
key Home
type /
type al
:save-display $T/search.txt
key Enter
key x
type /
type пет
:save-display $T/search-cyrillic.txt
:filter-clear
:sort ref
:save-display $T/sort-ref.txt
:filter-status submitted
:save-display $T/filter-empty.txt
:filter-clear
:sort due
:search nat:DEU
:save-display $T/search-nat.txt
:search nat:Atlantis
:save-display $T/search-bad.txt
:filter-clear
:sort updated
type /
type k
:save-display $T/search-short.txt
S
screen list ana
dump_ok list-row3 "$T/list-row3.txt"
dump_ok list-from-end "$T/list-from-end.txt"
dump_ok search "$T/search.txt"
dump_ok search-cyrillic "$T/search-cyrillic.txt"
dump_ok sort-ref "$T/sort-ref.txt"
dump_ok filter-empty "$T/filter-empty.txt"
dump_ok search-nat "$T/search-nat.txt"
dump_ok search-bad "$T/search-bad.txt"
dump_ok search-short "$T/search-short.txt"

# ---- help, the ':' prompt, unknown requests -------------------------------
cat >"$T/help.script" <<S
key F1
:save-display $T/help.txt
key q
type :
type no-such-thing
key Enter
:save-display $T/prompt-error.txt
S
screen help ana
dump_ok help "$T/help.txt"
dump_ok prompt-error "$T/prompt-error.txt"

# the help screen's lines are `rcms ui --keys`; the man page's key table
# is `rcms ui --keys-mdoc`, word for word
run "$RCMS" ui --keys
head -n 21 "$OUT" >"$T/keys-head"
sed -n '2,22p' "$T/help.txt" | sed 's/ *$//' >"$T/help-body"
sed 's/ *$//' "$T/keys-head" >"$T/keys-head2"
check "help screen is the request list" "differs from rcms ui --keys" \
	cmp -s "$T/keys-head2" "$T/help-body"
run "$RCMS" ui --keys-mdoc
sed -n '/^\.\\" keys: begin/,/^\.\\" keys: end/p' "$ROOT/man/rcms.1" |
	sed '1d;$d' >"$T/man-keys"
check "man page key table is the request list" \
	"man/rcms.1 differs from 'rcms ui --keys-mdoc' (regenerate it)" \
	cmp -s "$OUT" "$T/man-keys"

# ---- the lock screen after idle time (RCMS_IDLE_LOCK, seconds) ---------------
cat >"$T/idle.script" <<S
sleep 1300
:save-display $T/lock-idle.txt
type wrong-password
key Enter
:save-display $T/lock-wrong.txt
type $(cat "$(password_file ana)")
key Enter
:save-display $T/lock-back.txt
S
export RCMS_IDLE_LOCK=1
screen idle ana
unset RCMS_IDLE_LOCK
dump_ok lock-idle "$T/lock-idle.txt"
dump_ok lock-wrong "$T/lock-wrong.txt"
dump_ok lock-back "$T/lock-back.txt"

# ---- a resize in the middle of a form (script mode: resize COLSxLINES) -------
cat >"$T/resize.script" <<S
key n
type NOVAK
resize 100x30
:save-display $T/resize-large.txt
resize 60x20
:save-display $T/resize-small.txt
resize 80x24
:save-display $T/resize-back.txt
S
screen resize ana
dump_ok resize-large "$T/resize-large.txt"
dump_ok resize-small "$T/resize-small.txt"
dump_ok resize-back "$T/resize-back.txt"

# ---- no terminal, no colour ---------------------------------------------
cat >"$T/vt100.script" <<S
:save-display $T/vt100.txt
S
run env RCMS_UI_SCRIPT="$T/vt100.script" LINES=24 COLUMNS=80 TERM=vt100 \
	LANG=C.UTF-8 TZ=UTC RCMS_USER=ana \
	RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" ui --why processing
check "TERM=vt100 works" "exit $RC" [ "$RC" -eq 0 ]
dump_ok case-list-vt100 "$T/vt100.txt"
run env TERM=xterm "$RCMS" ui </dev/null
check "no terminal: a clear message" "exit $RC" [ "$RC" -eq 69 ]
summary
