/* The rows in which the caseload's counts and the cases disagree: 0 when
 * the triggers of migrations 8 and 13 (db/schema.c) kept the counts, with
 * the moves not yet folded into them, equal to the cases, whatever wrote
 * them.  tests/unit/testutil.h has the same.
 * (Not a comment of '--': sqlite3 would take the text for an option.) */
WITH counted AS (
  SELECT day, requesting_agency, requested_agency, status, created_by,
         sum(n) FROM (SELECT * FROM caseload_counts
                      UNION ALL SELECT * FROM caseload_moves)
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0),
cased AS (
  SELECT created_at / 86400, requesting_agency, requested_agency, status,
         created_by, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5)
SELECT count(*) FROM (
  SELECT * FROM cased EXCEPT SELECT * FROM counted
  UNION ALL
  SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM cased));
