/*
 * request.h - everything an officer can ask of the workstation, once.
 *
 * X(ID, name, group, help): ID gives UI_REQ_ID, name is what the ':'
 * prompt and the test scripts (RCMS_UI_SCRIPT) take, group and help make
 * the help screen and the key table of rcms(1) (`rcms ui --keys-mdoc`).
 * Keys are bound to requests in keymap.c; screens only ever see requests.
 */
#ifndef RCMS_UI_REQUEST_H
#define RCMS_UI_REQUEST_H

#define UI_REQ_LIST(X)                                                        \
	X(NONE, "none", NULL, NULL)                                           \
	/* everywhere */                                                      \
	X(HELP, "help", "General", "show the keys of this screen and all")    \
	X(QUIT, "quit", "General", "leave the workstation")                   \
	X(BACK, "back", "General", "close this screen, back to the last")     \
	X(PROMPT, "prompt", "General", "type a request by its name")          \
	X(REDRAW, "redraw", "General", "repaint the whole screen")            \
	X(LOCK, "lock", "General", "lock the workstation now")                \
	X(SYNC, "sync", "General", "sync with the exchange in the background")\
	X(CASES, "cases", "General", "the case list")                         \
	X(INBOX, "inbox", "General",                                          \
	  "incoming applications and identity checks")                        \
	X(APPROVALS, "approvals", "General",                                  \
	  "applications waiting for a supervisor's approval")                 \
	X(CONFLICTS, "conflicts", "General",                                  \
	  "changes the exchange could not merge")                             \
	X(REPORTS, "reports", "General", "the reports menu")                  \
	X(SAVE_DISPLAY, "save-display", "General",                            \
	  "write the screen as text to a file")                               \
	/* moving */                                                          \
	X(UP, "move-up", "Moving", "one line up")                             \
	X(DOWN, "move-down", "Moving", "one line down")                       \
	X(PAGE_UP, "page-up", "Moving", "one page up")                        \
	X(PAGE_DOWN, "page-down", "Moving", "one page down")                  \
	X(FIRST, "move-first", "Moving", "to the first line")                 \
	X(LAST, "move-last", "Moving", "to the last line")                    \
	X(ENTER, "enter", "Moving", "open the selected line; confirm")        \
	X(NEXT_TAB, "next-tab", "Moving", "the next tab or field")            \
	X(PREV_TAB, "prev-tab", "Moving", "the previous tab or field")        \
	/* the case list */                                                   \
	X(SEARCH, "search", "Case list",                                      \
	  "search as you type: name, reference, document number")             \
	X(FILTER_STATUS, "filter-status", "Case list",                        \
	  "show only cases in a status")                                      \
	X(FILTER_AGENCY, "filter-agency", "Case list",                        \
	  "show only cases with an agency")                                   \
	X(FILTER_DUE, "filter-due", "Case list",                              \
	  "show only cases due within N days")                                \
	X(FILTER_MINE, "filter-mine", "Case list",                            \
	  "show only the cases I opened (again: all)")                        \
	X(FILTER_CLEAR, "filter-clear", "Case list",                          \
	  "clear the search and the filters")                                 \
	X(SORT, "sort", "Case list",                                          \
	  "sort by change, creation, deadline or reference")                  \
	X(NEW_CASE, "new-case", "Case list", "open a new case")               \
	/* a case */                                                          \
	X(EDIT, "edit", "Case", "edit the case")                              \
	X(SUBMIT, "submit", "Case", "send it for a supervisor's approval")    \
	X(APPROVE, "approve", "Case",                                         \
	  "approve it (a supervisor who did not open it)")                    \
	X(RETURN, "return", "Case", "send it back to its officer")            \
	X(WITHDRAW, "withdraw", "Case", "withdraw the application")           \
	X(ACCEPT, "accept", "Case", "accept the application")                 \
	X(REJECT, "reject", "Case", "reject it, with the reasons")            \
	X(EXTEND, "extend", "Case", "ask for more time to reply")             \
	X(ISSUE, "issue", "Case", "record the travel document issued")        \
	X(SCHEDULE, "schedule", "Case", "schedule the transfer")              \
	X(TRANSFER, "transfer", "Case", "record that the transfer took place")\
	X(CLOSE, "close", "Case", "close the case")                           \
	X(NOTE, "note", "Case", "add a note")                                 \
	X(ATTACH, "attach", "Case", "attach a file by its path")              \
	X(IDCHECK, "idcheck", "Case", "ask for an identity check")            \
	X(ANSWER, "answer", "Case", "answer the selected identity check")     \
	/* forms */                                                           \
	X(SAVE, "save", "Forms", "save the form")                             \
	X(COMPLETE, "complete", "Forms",                                      \
	  "complete a country, a path or a choice")                           \
	X(MRZ, "mrz", "Forms", "type or paste a machine readable zone")       \
	X(FIX, "fix", "Forms", "take the suggested correction of the zone")   \
	/* conflicts */                                                       \
	X(TAKE_MINE, "take-mine", "Conflicts", "keep my value of the field")  \
	X(TAKE_THEIRS, "take-theirs", "Conflicts",                            \
	  "take the exchange's value")                                        \
	X(TYPE_VALUE, "type-value", "Conflicts", "type a third value")        \
	/* reports */                                                         \
	X(EXPORT, "export", "Reports",                                        \
	  "write the report to a file: .csv, .pdf or text")                   \
	X(PRINT, "print", "Reports", "print the report on a printer queue")   \
	/* answers to a question on the message line */                       \
	X(YES, "yes", "Questions", "yes, do it")                              \
	X(NO, "no", "Questions", "no, leave it")

enum ui_request {
#define UI_REQ_ENUM(id, name, group, help) UI_REQ_##id,
	UI_REQ_LIST(UI_REQ_ENUM)
#undef UI_REQ_ENUM
	UI_REQ__COUNT
};

struct ui_request_info {
	const char *name;
	const char *group;   /* NULL: not shown */
	const char *help;
};

extern const struct ui_request_info ui_requests[UI_REQ__COUNT];

/* The request named name, or UI_REQ_NONE. */
enum ui_request ui_request_find(const char *name);

#endif
