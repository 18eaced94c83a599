#!/bin/sh
# search.sh - rcms search and rcms duplicates: a person written in several
# scripts and spellings is found by each of them and only by them; filters;
# duplicates with their reasons; possible earlier cases named by case new
# (on stderr) and shown by case show; decisions remembered; a replica at
# schema 4 migrated with its cases indexed.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

setup
as ana || exit 1

# new NAME ARGS...: a case; its reference in the variable NAME
new() {
	_v=$1
	shift
	if run "$RCMS" case new "$@" && [ "$RC" -eq 0 ]; then
		eval "$_v=\$(cat \"\$OUT\")"
		pass "case new $_v"
	else
		fail "case new $_v" "exit $RC: $(cat "$ERR")"
	fi
}

new P1 surnames=Петровић given_names=Марко birth_date=1990 nationality=SRB
check "case new: nobody earlier, nothing on stderr" "$(cat "$ERR")" \
	[ ! -s "$ERR" ]
new P2 surnames=Petrović given_names=Marko birth_date=1990-03 \
	nationality=SRB
# at creation the duplicate check runs: on stderr, the reference alone on
# stdout (scripts read it)
check "case new names a possible earlier case, with its reasons" \
	"$(cat "$ERR")" grep -qF "rcms: possible earlier case of this person: $P1 (83%: name match, birth date compatible, nationality match, document unknown)" "$ERR"
check "case new: the reference alone on stdout" "$(cat "$OUT")" \
	[ "$(wc -l <"$OUT")" -eq 1 ]
new P3 surnames=PETROVIC given_names=MARKO birth_date=1990-03-14 \
	nationality=SRB
new P4 surnames=Petrovic given_names=Marko nationality=SRB
new M1 surnames=Khan given_names=Muhammad birth_date=1985-07-01 \
	nationality=PAK
new M2 surnames=Khan given_names=Mohammad birth_date=1985-07 \
	nationality=PAK
new M3 surnames=Mohammed given_names=Khan birth_date=1985 nationality=PAK
new X1 surnames=Petrovski given_names=Marko birth_date=1990-03-14 \
	nationality=MKD
new X2 surnames=Mahmud given_names=Ahmed birth_date=1985 nationality=PAK
new X3 surnames=Khan given_names=Muhammad birth_date=1962 nationality=PAK
new D1 surnames=Đorđević given_names=Ana nationality=SRB
new A1 surnames=Hussain given_names=Ali name_native="علي حسين" \
	nationality=PAK

# found_by NAME QUERY REFS...: the search finds exactly these cases
found_by() {
	_n=$1
	_q=$2
	shift 2
	run "$RCMS" search --limit 50 $_q
	if [ "$RC" -ne 0 ]; then
		fail "$_n" "exit $RC: $(cat "$ERR")"
		return
	fi
	_got=$(cut -d' ' -f1 "$OUT" | sort | tr '\n' ' ')
	_want=
	[ $# -gt 0 ] && _want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	if [ "$_got" = "$_want" ]; then
		pass "$_n"
	else
		fail "$_n" "got [$_got], expected [$_want]"
	fi
}

for q in Петровић Petrović PETROVIC Petrovic Petrovich "Marko Petrovic" \
	"Petrovic Marko" "петровић марко"; do
	found_by "search '$q' finds the four Petrović" "$q" \
		"$P1" "$P2" "$P3" "$P4"
done
found_by "search Petrovski finds only Petrovski" Petrovski "$X1"
# as the officer types: a prefix finds Petrović and Petrovski
found_by "search 'petr' (a prefix)" petr "$P1" "$P2" "$P3" "$P4" "$X1"
found_by "search 'Петр' (a prefix in Cyrillic)" Петр "$P1" "$P2" "$P3" \
	"$P4" "$X1"
for q in Muhammad Mohammad Mohammed Muhammed Mohamed; do
	found_by "search '$q' finds the Muhammads, not Mahmud" "$q" \
		"$M1" "$M2" "$M3" "$X3"
done
# Arabic script writes no short vowels: محمد is the skeleton m-h-m-d,
# which Mahmud has too
found_by "search 'محمد' finds the Muhammads (and Mahmud)" محمد \
	"$M1" "$M2" "$M3" "$X3" "$X2"
found_by "search 'Mohammed Khan dob:1985' leaves out 1962" \
	"Mohammed Khan dob:1985" "$M1" "$M2" "$M3"
for d in 1990 1990-03 1990-03-14; do
	found_by "search 'petrovic dob:$d' (partial dates meet)" \
		"petrovic dob:$d" "$P1" "$P2" "$P3"
done
found_by "search 'dob:1990-04' finds only the year 1990" \
	"petrovic dob:1990-04" "$P1"
found_by "search 'marko nat:MKD'" "marko nat:MKD" "$X1"
found_by "search 'marko nat:Serbia'" "marko nat:Serbia" \
	"$P1" "$P2" "$P3" "$P4"
for q in Djordjevic Đorđević DORDEVIC Ђорђевић; do
	found_by "search '$q' finds Đorđević" "$q" "$D1"
done
found_by "search in Arabic script finds Hussain" "حسين" "$A1"
found_by "search Husain finds Hussain" "Husain" "$A1"
found_by "search Jovanović finds nobody" "Jovanović"
found_by "search 'status:draft nat:MKD' (filters only)" \
	"status:draft nat:MKD" "$X1"
found_by "search by reference" "$P2" "$P2"

ok "doc add" "$RCMS" doc add "$P4" type=passport number=AB-1234567 \
	issuing_state=SRB
found_by "search doc:AB123 (a prefix, dashes ignored)" "doc:AB123" "$P4"
found_by "search a document number as a word" "ab1234567" "$P4"

ok_has "search --format json" '"local_ref":"'"$P1"'"' \
	"$RCMS" search --format json Петровић
json_ok "$OUT"
fails "search nothing" 64 "what to search for" "$RCMS" search
fails "search bad filter" 65 "there is no filter 'foo:'" \
	"$RCMS" search foo:bar
fails "search bad date" 65 "dob:14.03.1990 is not a date" \
	"$RCMS" search dob:14.03.1990
fails "search bad status" 65 "status:nope is not a state" \
	"$RCMS" search status:nope
fails "search bad country" 65 "nat:ZZZ is not a country" \
	"$RCMS" search nat:ZZZ
fails "search --format csv" 64 "table or json" \
	"$RCMS" search --format csv x

# ---- duplicates ---------------------------------------------------------

ok "duplicates P3" "$RCMS" duplicates "$P3"
for r in "$P1" "$P2" "$P4"; do
	check "duplicates P3 lists $r" "$(cat "$OUT")" grep -q "^$r " "$OUT"
done
check "duplicates P3 leaves out Petrovski" "$(cat "$OUT")" \
	sh -c "! grep -q '^$X1 ' '$OUT'"
has "name match, birth date compatible, nationality match, document unknown"
ok "duplicates M1" "$RCMS" duplicates "$M1"
check "M1: M2 and M3 (swapped, a variant)" "$(cat "$OUT")" \
	sh -c "grep -q '^$M2 ' '$OUT' && grep -q '^$M3 ' '$OUT'"
check "M1: not the Muhammad Khan of 1962" "$(cat "$OUT")" \
	sh -c "! grep -q '^$X3 ' '$OUT'"
has "name compatible, birth date compatible"
ok "duplicates --format json" "$RCMS" duplicates --format json "$M1"
py_json 'assert all(set(h) >= {"name", "birth", "document", "score"} for h in data), data'

# ---- the case view: possible earlier cases of this person -------------

ok "case show P3" "$RCMS" case show "$P3"
sed -n '/^possible earlier cases of this person:$/,$p' "$OUT" >"$T/earlier"
for r in "$P1" "$P2" "$P4"; do
	check "case show P3: possible earlier case $r" "$(cat "$T/earlier")" \
		grep -q "^  $r  [0-9]*%  " "$T/earlier"
done
check "case show P3: not Petrovski" "$(cat "$T/earlier")" \
	sh -c "! grep -q '$X1' '$T/earlier'"
check "case show P3: the reasons under each" "$(cat "$T/earlier")" \
	grep -q "^    name match, birth date compatible, nationality match, document unknown$" "$T/earlier"
ok "case show D1 (nobody earlier)" "$RCMS" case show "$D1"
check "case show D1: (none)" "$(cat "$OUT")" \
	sh -c "tail -2 '$OUT' | tr '\n' '|' | grep -qx 'possible earlier cases of this person:|  (none)|'"
ok "case show --json P3" "$RCMS" case show "$P3" --json
py_json 'e = data["possible_earlier_cases"]
assert sorted(h["local_ref"] for h in e) == sorted(["'"$P1"'", "'"$P2"'", "'"$P4"'"]), e
assert all(set(h) >= {"score", "name", "birth", "nationality_match", "document", "decision"} for h in e), e'
ok "case show --json D1" "$RCMS" case show "$D1" --json
py_json 'assert data["possible_earlier_cases"] == [], data'

ok "person different" "$RCMS" person different "$M1" "$M3"
ok "case show M1 after 'different'" "$RCMS" case show "$M1"
check "case show: a person marked different is not shown" "$(cat "$OUT")" \
	sh -c "! grep -q '$M3' '$OUT' && grep -q '^  $M2 ' '$OUT'"
new M4 surnames=Muhammad given_names=Khan birth_date=1985-07-01 \
	nationality=PAK
check "case new M4: M1, M2, M3 named" "$(cat "$ERR")" sh -c \
	"grep -q ': $M1 (' '$ERR' && grep -q ': $M2 (' '$ERR' && grep -q ': $M3 (' '$ERR'"
ok "person different M4 M1" "$RCMS" person different "$M4" "$M1"
ok "case show M4" "$RCMS" case show "$M4" --json
py_json 'e = [h["local_ref"] for h in data["possible_earlier_cases"]]
assert "'"$M1"'" not in e and "'"$M2"'" in e, e'
ok "duplicates M1 after" "$RCMS" duplicates "$M1"
check "a person marked different is not proposed again" "$(cat "$OUT")" \
	sh -c "! grep -q '^$M3 ' '$OUT'"
ok "duplicates --all after" "$RCMS" duplicates --all "$M1"
check "--all shows the one marked different" "$(cat "$OUT")" \
	sh -c "grep -q '^$M3 .*marked different' '$OUT'"
ok "person same" "$RCMS" person same "$M1" "$X2"
ok "duplicates M1 linked" "$RCMS" duplicates "$M1"
check "a linked person is listed first" "$(cat "$OUT")" \
	sh -c "head -1 '$OUT' | grep -q '^$X2 .*linked: same person'"
ok "case show M1 linked" "$RCMS" case show "$M1"
check "case show: the linked person first, marked" "$(cat "$OUT")" \
	sh -c "sed -n '/^possible earlier cases of this person:\$/{n;N;p;q}' '$OUT' | tr -d '\n' | grep -q '^  $X2 .*; linked: same person\$'"
ok "person forget" "$RCMS" person forget "$M1" "$M3"
ok "duplicates M1 forgotten" "$RCMS" duplicates "$M1"
check "after forget, M3 is proposed again" "$(cat "$OUT")" \
	grep -q "^$M3 " "$OUT"
as marko || exit 1
ok_has "decisions are audited" "person.decide" "$RCMS" audit list
as ana || exit 1
fails "person same: the same case" 65 "are the same case" \
	"$RCMS" person same "$M1" "$M1"
fails "person same: a missing case" 65 "" \
	"$RCMS" person same "$M1" RS-MUP-W01-1999-999999
fails "duplicates without a case" 64 "which case" "$RCMS" duplicates

# ---- an edit is indexed in the same transaction -------------------------

ok "case edit the surname" "$RCMS" case edit "$X1" surnames=Jovanovski
found_by "the edited name is found" "Jovanovski" "$X1"
found_by "the old name is not" "Petrovski"
check "the index holds one row per case" "$(sql 'SELECT COUNT(*) FROM search_persons')" \
	[ "$(sql 'SELECT COUNT(*) FROM search_persons')" = \
	  "$(sql 'SELECT COUNT(*) FROM cases')" ]

# ---- a replica at schema 4 migrates and indexes its cases ---------------

sql "DROP TRIGGER search_persons_facts_case;
     DROP TRIGGER caseload_counts_insert; DROP TRIGGER caseload_counts_update;
     DROP TRIGGER caseload_counts_delete; DROP TABLE caseload_counts;
     DROP TABLE caseload_moves;
     DROP TABLE search_fts; DROP TABLE search_persons;
     DROP TABLE person_decisions; ALTER TABLE users DROP COLUMN dir_seq;
     DROP INDEX blobs_missing; DROP INDEX blobs_unsent;
     DROP INDEX attachments_sha256;
     PRAGMA user_version = 4;" >/dev/null
check "back at schema 4" "$(sql 'PRAGMA user_version')" \
	[ "$(sql 'PRAGMA user_version')" = 4 ]
found_by "after migration 5, Petrović is found" "Petrović" \
	"$P1" "$P2" "$P3" "$P4"
check "migration 9: every person has its case's status and agencies" \
	"$(sql 'SELECT count(*) FROM search_persons p JOIN cases c ON c.id = p.case_id WHERE p.status <> c.status OR p.updated_at <> c.updated_at OR p.requesting_agency <> c.requesting_agency')" \
	[ "$(sql 'SELECT count(*) FROM search_persons p JOIN cases c ON c.id = p.case_id WHERE p.status <> c.status OR p.updated_at <> c.updated_at OR p.requesting_agency <> c.requesting_agency')" = 0 ]
check "migration 8: the caseload's counts equal the cases" \
	"$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")") rows differ" \
	[ "$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")")" = 0 ]
# migration 5 and those after it: the schema rcms writes
SCHEMA=$("$RCMS" --version | sed 's/.*(schema \([0-9]*\)).*/\1/')
check "migrated to the current schema ($SCHEMA)" \
	"$(sql 'PRAGMA user_version')" \
	[ "$(sql 'PRAGMA user_version')" = "${SCHEMA:-none}" ]

summary
