/* The rows in which caseload_counts and the cases disagree: 0 when the
 * triggers of migration 8 (db/schema.c) kept the caseload's counts equal
 * to the cases, whatever wrote them.  tests/unit/testutil.h has the same.
 * (Not a comment of '--': sqlite3 would take the text for an option.) */
SELECT count(*) FROM (
  SELECT created_at / 86400, requesting_agency, requested_agency, status,
         created_by, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5
  EXCEPT SELECT * FROM caseload_counts
  UNION ALL
  SELECT * FROM (SELECT * FROM caseload_counts EXCEPT
  SELECT created_at / 86400, requesting_agency, requested_agency, status,
         created_by, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5));
