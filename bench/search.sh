#!/bin/sh
# search.sh BUILD_DIR - finding people: rows of BENCHMARKS.md's table.
#
# Called by bench/run.sh after the replica exists (RCMS_BENCH_REPLICA, an
# RCMS_HOME with rcms.db).  Two parts, both bench/bench_search:
#   1. the labelled evaluation set (made in memory: true pairs with one
#      variation each, hard false pairs), precision and recall of
#      duplicate persons (RCMS_BENCH_EVAL_PERSONS, default 3000, as many
#      true pairs; a third as many hard false pairs);
#   2. on the replica: search as typed through db_search and as the bare
#      FTS5 query, p50 and p95; the duplicate check of a new case; the
#      index's size (RCMS_BENCH_SEARCH_QUERIES, default 300).  Two passes:
#      the first as the page cache is, its own row; the second measured.  A replica at
#      schema 4 is migrated first (rcms case list of run.sh's step 2 has
#      usually done it already).
# Prints Markdown rows on stdout; progress on stderr.
set -eu

B=${1:?usage: bench/search.sh BUILD_DIR}
BS=$B/bench/bench_search
REPLICA=${RCMS_BENCH_REPLICA:-}
PERSONS=${RCMS_BENCH_EVAL_PERSONS:-3000}
QUERIES=${RCMS_BENCH_SEARCH_QUERIES:-300}
[ -x "$BS" ] || { echo "bench/search.sh: $BS is missing" >&2; exit 1; }

ev=$B/bench-search-eval.txt
"$BS" --eval --persons "$PERSONS" --hard $((PERSONS / 3)) >"$ev"
m() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
echo "| duplicates: labelled set (bench_search --eval) | — | $(m eval_true_pairs "$ev") true pairs, $(m eval_hard_false_pairs "$ev") hard false pairs |"
echo "| duplicates: recall | ≥ 0.95 | $(m eval_recall "$ev") (script $(m eval_recall_script "$ev"), transliteration $(m eval_recall_transliteration "$ev"), typo $(m eval_recall_typo "$ev"), swapped $(m eval_recall_swapped_order "$ev"), partial date $(m eval_recall_missing_day_or_month "$ev"), romanisation $(m eval_recall_romanisation_variant "$ev")) |"
echo "| duplicates: precision | ≥ 0.90 | $(m eval_precision "$ev") ($(m eval_hard_false_found "$ev") of $(m eval_hard_false_pairs "$ev") hard false pairs proposed) |"

[ -n "$REPLICA" ] && [ -f "$REPLICA/rcms.db" ] || exit 0
rp=$B/bench-search-replica.txt
rc=$B/bench-search-replica-first.txt
echo "bench/search.sh: $QUERIES searches and duplicate checks on $REPLICA, twice" >&2
# The first pass finds the page cache as the steps before left it: after
# minutes of other work the kernel may have dropped the replica's pages
# (the search index is read from the disk then; within a pass, db_search
# runs first and warms them for the bare query).  Its row says so; the
# targets are read on the second pass, the same queries with the
# replica's pages in memory, as on a workstation in use.
"$BS" --db "$REPLICA/rcms.db" --queries "$QUERIES" >"$rc"
"$BS" --db "$REPLICA/rcms.db" --queries "$QUERIES" >"$rp"
echo "| search, the first pass (the page cache as the steps before left it), p50 / p95 | — | $(m search_p50_ms "$rc") / $(m search_p95_ms "$rc") ms (the bare FTS5 query after it $(m search_bare_p50_ms "$rc") / $(m search_bare_p95_ms "$rc") ms; duplicate check $(m dup_check_p50_ms "$rc") / $(m dup_check_p95_ms "$rc") ms) |"
echo "| search (db_search, surname and given name as typed), p50 | ≤ 10 ms | $(m search_p50_ms "$rp") ms |"
echo "| search, p95 | ≤ 25 ms | $(m search_p95_ms "$rp") ms |"
echo "| search: ratio to the bare FTS5 query (p50 $(m search_bare_p50_ms "$rp") ms, p95 $(m search_bare_p95_ms "$rp") ms) | ≤ 1.5× | $(m search_ratio_p50 "$rp")× |"
echo "| duplicate check at case creation (db_duplicates), p50 / p95 | ≤ 50 ms | $(m dup_check_p50_ms "$rp") / $(m dup_check_p95_ms "$rp") ms (the creation itself, indexing included: $(m dup_create_p50_ms "$rp") ms) |"
echo "| search index size (search_persons + FTS5) | — | $(awk -v b="$(m search_index_bytes "$rp")" 'BEGIN { printf "%.0f MiB", b / 1048576 }') |"
