/*
 * perm.h - who may do what: the one permission table of rcms.
 *
 * Every use case (the command line, the screens, the exchange) asks this
 * table whether the user's role may take an action, and refuses with the
 * row's reason when it may not.  The state machine's rows (app/state.h)
 * take their roles from here too; the manual's ROLES section is printed
 * from it (rcms roles --format mdoc) and compared with it by the tests.
 *
 * Which *agency* may act on a case (the requesting or the requested one)
 * is the other half of a permission: the state machine's sides and the
 * fields' owners (app/fields.h) say it; this table is about roles only.
 *
 * The rationale, in short:
 *  - An officer works cases: opens, edits, submits, answers identity
 *    checks, replies for the requested agency, schedules and records the
 *    transfer, closes a finished case.
 *  - A supervisor can do all of that (small offices have one or two
 *    people), and alone approves or returns an application (four eyes:
 *    never one they created, app/state.c), closes a case without a
 *    transfer, makes the agency's reports and reads the audit log.
 *  - The administrator manages users, agreements, holidays and the
 *    workstation's enrolment, and reads the audit log to oversee the
 *    system, but consults and changes no case: the data of vulnerable
 *    people is seen only by those who work on it (data minimisation).
 *    The one exception is the purge of cases closed longer than the
 *    retention period (rcms purge), which is configuration applied: it
 *    shows references and dates only and erases, never reads.
 *  - Everyone may see who they are, the agreements' time limits, the list
 *    of users, change their own password, sync and check the audit chain.
 */
#ifndef RCMS_APP_PERM_H
#define RCMS_APP_PERM_H

#include <stdbool.h>
#include <stddef.h>

#include "app/domain.h"

#define RCMS_P_OFF RCMS_ROLE_OFFICER
#define RCMS_P_SUP RCMS_ROLE_SUPERVISOR
#define RCMS_P_ADM RCMS_ROLE_ADMIN
#define RCMS_P_WORK (RCMS_ROLE_OFFICER | RCMS_ROLE_SUPERVISOR)
#define RCMS_P_ALL                                                            \
	(RCMS_ROLE_OFFICER | RCMS_ROLE_SUPERVISOR | RCMS_ROLE_ADMIN)

/* The reasons a role is refused, shared by rows of one kind. */
#define RCMS_P_WHY_WORK                                                       \
	"an administrator manages users, agreements and configuration and "   \
	"does not consult or work on cases"
#define RCMS_P_WHY_ADMIN                                                      \
	"users, agreements and the workstation are managed by the "           \
	"administrator, apart from the casework"

/*
 * X(ID, name, roles, what, commands, ops, why)
 *   name      the action's name ("case.approve"), as rcms roles prints it
 *   roles     the roles allowed (enum rcms_role bits)
 *   what      what the action does, after "only officers can ..."
 *   commands  the commands that take it, "|" between them
 *   ops       the exchange operations that take it, "|" between them
 *             ("case.transition:approve" for one step), or ""
 *   why       one line: why the other roles are refused
 */
#define RCMS_PERMS(X)                                                         \
	X(CASE_READ, "case.read", RCMS_P_WORK,                                \
	  "consult cases and their persons",                                  \
	  "case list|case show|note list|idchecks|attachments|search|"        \
	  "duplicates|conflicts list|conflicts show|outbox",                  \
	  "", RCMS_P_WHY_WORK)                                                \
	X(CASE_CREATE, "case.create", RCMS_P_WORK, "open cases", "case new",  \
	  "case.create", RCMS_P_WHY_WORK)                                     \
	X(CASE_EDIT, "case.edit", RCMS_P_WORK,                                \
	  "change cases and their documents", "case edit|doc add",            \
	  "case.update|document.add", RCMS_P_WHY_WORK)                        \
	X(CASE_SUBMIT, "case.submit", RCMS_P_WORK, "submit a case",           \
	  "case submit", "case.transition:submit", RCMS_P_WHY_WORK)           \
	X(CASE_APPROVE, "case.approve", RCMS_P_SUP, "approve a case",         \
	  "case approve", "case.transition:approve",                          \
	  "four eyes: an application leaves the agency only when a "          \
	  "supervisor who did not create it approves it")                     \
	X(CASE_RETURN, "case.return", RCMS_P_SUP,                             \
	  "return a case for changes", "case return",                         \
	  "case.transition:return",                                           \
	  "sending an application back is the approver's answer to it")      \
	X(CASE_WITHDRAW, "case.withdraw", RCMS_P_WORK, "withdraw a case",     \
	  "case withdraw", "case.transition:withdraw", RCMS_P_WHY_WORK)       \
	X(CASE_EXTEND, "case.extend", RCMS_P_WORK, "request an extension",    \
	  "case extend", "case.transition:extend", RCMS_P_WHY_WORK)           \
	X(CASE_ACCEPT, "case.accept", RCMS_P_WORK, "accept a case",           \
	  "case accept", "case.transition:accept", RCMS_P_WHY_WORK)           \
	X(CASE_REJECT, "case.reject", RCMS_P_WORK, "reject a case",           \
	  "case reject", "case.transition:reject", RCMS_P_WHY_WORK)           \
	X(CASE_ISSUE, "case.issue", RCMS_P_WORK, "issue a travel document",   \
	  "case issue", "case.transition:issue", RCMS_P_WHY_WORK)             \
	X(CASE_SCHEDULE, "case.schedule", RCMS_P_WORK, "schedule a transfer", \
	  "case schedule", "case.transition:schedule", RCMS_P_WHY_WORK)       \
	X(CASE_TRANSFER, "case.transfer", RCMS_P_WORK, "record a transfer",   \
	  "case transfer", "case.transition:transfer", RCMS_P_WHY_WORK)       \
	X(CASE_CLOSE, "case.close", RCMS_P_WORK,                              \
	  "close a case after its transfer or rejection", "case close",       \
	  "case.transition:close", RCMS_P_WHY_WORK)                           \
	X(CASE_CLOSE_EARLY, "case.close-early", RCMS_P_SUP,                   \
	  "close a case without a transfer", "case close",           \
	  "case.transition:close",                                            \
	  "ending an accepted readmission without a transfer is a "           \
	  "supervisor's decision")                                            \
	X(NOTE_ADD, "note.add", RCMS_P_WORK, "write notes on cases",          \
	  "note add", "note.add", RCMS_P_WHY_WORK)                            \
	X(ATTACH, "attach", RCMS_P_WORK, "attach files to cases", "attach",   \
	  "attachment.link", RCMS_P_WHY_WORK)                                 \
	X(IDCHECK_REQUEST, "idcheck.request", RCMS_P_WORK,                    \
	  "ask for identity checks", "idcheck request", "idcheck.request",    \
	  RCMS_P_WHY_WORK)                                                    \
	X(IDCHECK_ANSWER, "idcheck.answer", RCMS_P_WORK,                      \
	  "answer identity checks", "idcheck answer", "idcheck.answer",       \
	  RCMS_P_WHY_WORK)                                                    \
	X(PERSON_DECIDE, "person.decide", RCMS_P_WORK,                        \
	  "decide about persons",                                             \
	  "person same|person different|person forget", "",                   \
	  RCMS_P_WHY_WORK)                                                    \
	X(CONFLICT_RESOLVE, "conflict.resolve", RCMS_P_WORK,                  \
	  "settle conflicts of cases", "conflicts resolve", "",               \
	  RCMS_P_WHY_WORK)                                                    \
	X(REPORT_CASE, "report.case", RCMS_P_WORK,                            \
	  "print a case's file or application",                               \
	  "report case|report application", "", RCMS_P_WHY_WORK)             \
	X(REPORT, "report", RCMS_P_SUP, "make the agency's reports",          \
	  "report caseload|report deadlines|report idchecks|"                 \
	  "report outcomes|report workload|report indicators",                \
	  "",                                                                 \
	  "reports gather the agency's cases and its officers' work: they "   \
	  "are the supervisors' overview")                                    \
	X(AUDIT_READ, "audit.read", RCMS_P_SUP | RCMS_P_ADM,                  \
	  "read the audit log", "audit list", "",                             \
	  "the log says who consulted which case: supervisors oversee the "   \
	  "casework, the administrator the system")                           \
	X(AUDIT_VERIFY, "audit.verify", RCMS_P_ALL,                           \
	  "check the audit log's chain", "audit verify", "", "")              \
	X(USER_MANAGE, "user.manage", RCMS_P_ADM,                             \
	  "add, change, enable and disable the agency's accounts and set "    \
	  "their passwords",                                                  \
	  "user add|user edit|user enable|user disable|user passwd USER",     \
	  "user.create|user.update", RCMS_P_WHY_ADMIN)                        \
	X(USER_LIST, "user.list", RCMS_P_ALL, "list the users", "user list",  \
	  "", "")                                                             \
	X(USER_PASSWD, "user.passwd", RCMS_P_ALL,                             \
	  "change their own password", "user passwd", "", "")                 \
	X(AGREEMENT_READ, "agreement.read", RCMS_P_ALL,                       \
	  "read the agreements", "agreement list|agreement show", "", "")     \
	X(AGREEMENT_MANAGE, "agreement.manage", RCMS_P_ADM,                   \
	  "change agreements and holidays",                                   \
	  "agreement set|agreement load|holiday add", "", RCMS_P_WHY_ADMIN)   \
	X(ENROLL, "enroll", RCMS_P_ADM, "enrol the workstation", "enroll",    \
	  "", RCMS_P_WHY_ADMIN)                                               \
	X(WORKSTATION_MANAGE, "workstation.manage", RCMS_P_ADM,               \
	  "list and retire the agency's workstations",                        \
	  "workstation list|workstation retire", "workstation.retire",        \
	  RCMS_P_WHY_ADMIN)                                                   \
	X(PURGE, "purge", RCMS_P_ADM,                                         \
	  "purge cases closed longer than the retention period", "purge",    \
	  "",                                                                 \
	  "the retention period is configuration, and applying it reads no " \
	  "case: it is the administrator's task")                            \
	X(SYNC, "sync", RCMS_P_ALL, "sync with the exchange",                 \
	  "sync|sync status", "", "")                                         \
	X(SESSION, "session", RCMS_P_ALL,                                     \
	  "see who they are and the replica's state",                         \
	  "whoami|status|logout", "", "")

enum rcms_perm {
#define RCMS_PERM_ENUM(id, name, roles, what, cmds, ops, why)               \
	RCMS_PERM_##id,
	RCMS_PERMS(RCMS_PERM_ENUM)
#undef RCMS_PERM_ENUM
	RCMS_PERM__COUNT
};

/* The roles of each action as constants, for tables built at compile
 * time (the state machine's rows): RCMS_PERM_ROLES_CASE_APPROVE ... */
enum rcms_perm_roles {
#define RCMS_PERM_ROLES(id, name, roles, what, cmds, ops, why)              \
	RCMS_PERM_ROLES_##id = (roles),
	RCMS_PERMS(RCMS_PERM_ROLES)
#undef RCMS_PERM_ROLES
	RCMS_PERM_ROLES__END = 0
};

struct rcms_perm_row {
	enum rcms_perm id;
	const char *name;
	unsigned roles;
	const char *what;
	const char *commands;
	const char *ops;
	const char *why;
};

/* The table, in RCMS_PERMS order; RCMS_PERM__COUNT rows. */
extern const struct rcms_perm_row rcms_perm_table[];

/* The row of an action, or NULL for an unknown one. */
const struct rcms_perm_row *rcms_perm_row(enum rcms_perm p);
/* The action of a name ("case.approve"), or RCMS_PERM__COUNT. */
enum rcms_perm rcms_perm_by_name(const char *name);

/* The action an exchange operation type takes ("note.add" ->
 * RCMS_PERM_NOTE_ADD), from the table's ops; RCMS_PERM__COUNT for
 * case.transition (each step has its own, app/state.h) and unknown
 * types. */
enum rcms_perm rcms_perm_of_op(const char *type);

/* May role (one role) take p?  An unknown action or role: no. */
bool rcms_perm_allows(enum rcms_perm p, enum rcms_role role);

/*
 * RCMS_OK when role may take p; else RCMS_ERR_PERMISSION with the message
 * "only officers and supervisors can open cases: <why>" (err may be
 * NULL).
 */
enum rcms_status rcms_perm_check(enum rcms_perm p, enum rcms_role role,
				 struct rcms_err *err);

/* "an officer or a supervisor" (one = true) or "officers and
 * supervisors" (one = false) for a set of roles.  Returns buf. */
const char *rcms_perm_roles_words(unsigned roles, bool one, char *buf,
				  size_t size);

#endif
