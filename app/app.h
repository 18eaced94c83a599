/*
 * app.h - the domain layer's public header: plain structs, enums and pure
 * functions (validation, the state machine, deadlines, MRZ, dates,
 * countries, text).  libc only: no I/O, no database, no terminal.
 *
 *   status.h    the status enum and struct rcms_err
 *   domain.h    records and enums with their name tables
 *   fields.h    field tables: one description per field, used everywhere
 *   perm.h      the permission table: actions x roles
 *   state.h     the case state machine
 *   deadline.h  reply, transfer and deemed-acceptance deadlines
 *   pdate.h     partial dates and calendar arithmetic
 *   country.h   ISO 3166-1 countries (plus Kosovo)
 *   text.h      UTF-8 and free-text checks
 *   jsonw.h     a small JSON writer
 *   uuid.h      UUIDv7 text from a time and random bytes
 *   mrz.h       ICAO 9303 machine readable zones
 *   translit.h  Doc 9303 Part 3 transliteration
 *   fold.h      names folded for search (case, diacritics, scripts, variants)
 *   dup.h       two records of one person? field by field
 *   password.h  the password policy
 */
#ifndef RCMS_APP_APP_H
#define RCMS_APP_APP_H

#include "app/status.h"
#include "app/domain.h"
#include "app/fields.h"
#include "app/perm.h"
#include "app/state.h"
#include "app/deadline.h"
#include "app/pdate.h"
#include "app/country.h"
#include "app/text.h"
#include "app/jsonw.h"
#include "app/uuid.h"
#include "app/mrz.h"
#include "app/translit.h"
#include "app/fold.h"
#include "app/dup.h"
#include "app/password.h"

#endif
