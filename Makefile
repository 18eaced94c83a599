# rcms - readmission case management.  See README.md.
#
#   make            build bin/rcms (optimised) under $(O)
#   make check      every test, under AddressSanitizer and UBSan, gcc and clang
#   make demo       a demo replica with sample cases, shown
#   make bench      measured figures on generated data (see BENCHMARKS.md)
#   make fuzz       libFuzzer targets (clang)
#   make check-long every fuzz target for a bounded time (CI runs it after check)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/rcms
LIBDIR ?= $(PREFIX)/lib/rcms
O ?= build/rel
CC ?= cc
CFLAGS ?= -O2 -g
VERSION := 0.1.0

# libssl: sync/ loads the workstation's key into libcurl's SSL_CTX itself
# (sync/client.c, tls_ctx); bench/tls_load speaks TLS itself (wrk cannot)
PKGS := sqlite3 libargon2 libcjson libcrypto libssl libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wwrite-strings -Wundef -Wno-format-nonliteral
ifeq ($(CI),true)
WERROR ?= -Werror
endif
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-DRCMS_VERSION='"$(VERSION)"' -DRCMS_DATADIR='"$(DATADIR)"' -DRCMS_LIBDIR='"$(LIBDIR)"' \
	-I. $(WARN) $(WERROR) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lm -lpthread

LIB_SRC := $(wildcard app/*.c db/*.c sync/*.c cli/*.c)
# The screens (ncursesw) and the reports link into bin/rcms only: the
# exchange and the unit tests do without them.  The PDF writer and printing
# (cairo, pango, CUPS: some seventy shared libraries) are a module,
# lib/rcms/report.so, that bin/rcms loads when a PDF is made or printed:
# every other command starts without them.
UI_PKGS := ncursesw
UI_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(UI_PKGS) 2>/dev/null))
UI_LIBS := $(shell pkg-config --libs $(UI_PKGS) 2>/dev/null) -ldl
PDF_PKGS := pangocairo harfbuzz fribidi
PDF_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PDF_PKGS) 2>/dev/null))
PDF_LIBS := $(shell pkg-config --libs $(PDF_PKGS) 2>/dev/null) -lcups
PLUGIN_SRC := reports/render_pdf.c reports/pdf_shape.c reports/plugin.c app/status.c
PLUGIN_OBJ := $(PLUGIN_SRC:%.c=$(O)/pic/%.o)
PLUGIN := $(O)/lib/rcms/report.so
UI_SRC := $(filter-out $(PLUGIN_SRC),$(wildcard ui/*.c reports/*.c))
UI_OBJ := $(UI_SRC:%.c=$(O)/%.o)
UI_LIB := $(O)/libui.a
LIB_SRC := $(filter-out cli/main.c,$(LIB_SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
LIB := $(O)/librcms.a
BIN := $(O)/bin/rcms
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
TEST_HELPERS := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
TEST_HELPER_OBJ := $(TEST_HELPERS:%.c=$(O)/%.o)
XCH_PKGS := libmicrohttpd gnutls
XCH_CFLAGS := $(shell pkg-config --cflags $(XCH_PKGS) 2>/dev/null)
XCH_LIBS := $(shell pkg-config --libs $(XCH_PKGS) 2>/dev/null)
XCH_SRC := $(filter-out exchange/main.c,$(wildcard exchange/*.c))
XCH_OBJ := $(XCH_SRC:%.c=$(O)/%.o)
XCH_LIB := $(O)/libexchange.a
XCH_BIN := $(O)/bin/rcms-exchange
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(O)/tests/tools/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(O)/bench/%)

SAN := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all tests check check-build check-clang check-man check-long demo bench \
	fuzz fuzz-run \
	install uninstall clean deps
.DEFAULT_GOAL := all

all: $(BIN) $(XCH_BIN) $(PLUGIN)

tests: $(BIN) $(XCH_BIN) $(PLUGIN) $(UNIT_BIN) $(BENCH_BIN) $(TOOL_BIN)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# the common passwords a new password may not be, compiled in: one C string
# a line, sorted for bsearch (app/password.c)
$(O)/gen/common_passwords.inc: data/common-passwords.txt
	@mkdir -p $(@D)
	LC_ALL=C sed -e '/^#/d' -e '/^[[:space:]]*$$/d' $< | LC_ALL=C sort -u | \
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/.*/"&",/' >$@.tmp
	mv $@.tmp $@

$(O)/app/password.o: $(O)/gen/common_passwords.inc
$(O)/app/password.o: ALL_CFLAGS += -I$(O)/gen

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(O)/ui/%.o: ui/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(UI_CFLAGS) -c -o $@ $<

$(O)/reports/%.o: reports/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# the report module: position-independent, its own copy of app/status.c,
# one exported symbol (reports/plugin.map)
$(O)/pic/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PDF_CFLAGS) -fPIC -c -o $@ $<

$(PLUGIN): $(PLUGIN_OBJ) reports/plugin.map
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -fPIC \
		-Wl,--version-script=reports/plugin.map -o $@ $(PLUGIN_OBJ) \
		$(PDF_LIBS)

$(UI_LIB): $(UI_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# the command line calls into the screens and reports, which call back
# into the library: the library is named on both sides of them
$(BIN): $(O)/cli/main.o $(LIB) $(UI_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(O)/cli/main.o $(LIB) $(UI_LIB) \
		$(LIB) $(UI_LIBS) $(LDLIBS_ALL)

$(O)/exchange/%.o: exchange/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(XCH_CFLAGS) -c -o $@ $<

$(XCH_LIB): $(XCH_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(XCH_BIN): $(O)/exchange/main.o $(XCH_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(XCH_LIBS) $(LDLIBS_ALL)

$(O)/tests/%: $(O)/tests/unit/%.o $(TEST_HELPER_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(LDLIBS_ALL)

# the exchange's whole-file hashing thread, tested alone
$(O)/tests/test_tus_hash: $(O)/exchange/tus_hash.o

# programs the tests drive (tests/tools/*.c), on the library
$(O)/tests/tools/%: $(O)/tests/tools/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(O)/bench/%: $(O)/bench/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

deps:
	@scripts/deps.sh

# Everything under the sanitizers, warnings as errors, then clang too.
check: deps
	$(MAKE) check-build
	$(MAKE) check-clang
	$(MAKE) check-man
	tests/run.sh build/check

check-build:
	$(MAKE) O=build/check WERROR=-Werror \
		CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" tests

check-clang:
	$(MAKE) O=build/clang CC=clang WERROR=-Werror CFLAGS="-O1 -g" tests

check-man:
	mandoc -Tlint -W warning man/*.[0-9]

demo: deps all
	scripts/demo.sh $(O)/bin/rcms

bench: deps
	$(MAKE) O=build/bench CFLAGS="-O2 -g -DNDEBUG" tests
	bench/run.sh build/bench

FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_O ?= build/fuzz
FUZZ_RUNS ?= 10000000
FUZZ_FLAGS ?= -max_len=4096
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
# A finding stops the run at once (UBSan too) and fails it; leaks count.
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# fuzz_tus reads the tus headers with exchange/tus_parse.c alone
fuzz:
	$(MAKE) O=$(FUZZ_O) CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
		$(FUZZ_O)/librcms.a $(FUZZ_O)/exchange/tus_parse.o
	@mkdir -p $(FUZZ_O)/bin
	for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); \
		extra=; [ $$n = fuzz_tus ] && extra=$(FUZZ_O)/exchange/tus_parse.o; \
		clang -std=c11 -D_DEFAULT_SOURCE -I. -O1 -g \
			-fsanitize=fuzzer $(FUZZ_SAN) $(PKG_CFLAGS) \
			-o $(FUZZ_O)/bin/$$n $$f $$extra $(FUZZ_O)/librcms.a \
			$(LDLIBS_ALL) || exit 1; \
	done

# Every fuzz target for FUZZ_RUNS executions (10 million by default) or
# FUZZ_TIME seconds, whichever comes first (no time limit by default), from
# its corpus in $(FUZZ_O)/corpus-NAME and its seeds in fuzz/seeds/NAME.  A
# crash, a leak or any sanitizer report fails the run and shows the end of
# $(FUZZ_O)/NAME.log; the executions of each target go to standard output
# and to $(FUZZ_O)/runs.txt.
FUZZ_TIME ?= 0
fuzz-run: fuzz
	@: >$(FUZZ_O)/runs.txt
	@for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); \
		mkdir -p $(FUZZ_O)/corpus-$$n; \
		echo "fuzz: $$n (at most $(FUZZ_RUNS) runs$$( \
			[ $(FUZZ_TIME) -gt 0 ] && echo " or $(FUZZ_TIME) s"))"; \
		t0=$$(date +%s); \
		$(FUZZ_ENV) $(FUZZ_O)/bin/$$n -runs=$(FUZZ_RUNS) \
			-max_total_time=$(FUZZ_TIME) $(FUZZ_FLAGS) \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_O)/$$n- \
			$(FUZZ_O)/corpus-$$n $$([ -d fuzz/seeds/$$n ] && \
			echo fuzz/seeds/$$n) >$(FUZZ_O)/$$n.log 2>&1 && \
		! grep -Eq 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' \
			$(FUZZ_O)/$$n.log || \
			{ tail -60 $(FUZZ_O)/$$n.log; \
			echo "fuzz: $$n FAILED (see $(FUZZ_O)/$$n.log)"; exit 1; }; \
		echo "$$n: $$(sed -n 's/^stat::number_of_executed_units: *//p' \
			$(FUZZ_O)/$$n.log) executions in $$(($$(date +%s) - t0)) s" | \
			tee -a $(FUZZ_O)/runs.txt; \
	done

# CI's long check, after make check: every fuzz target for 10 million
# executions or LONG_TIME seconds, whichever comes first.  On CI's two
# cores fuzz_tus does its 10 million in about a minute; fuzz_mrz and
# fuzz_wire run about 10,000 a second (10 million would take a quarter of
# an hour each) and stop at LONG_TIME: five and a half minutes in all with
# the build.  make fuzz-run runs the full 10 million of each.
LONG_TIME ?= 120
check-long: deps
	$(MAKE) FUZZ_TIME=$(LONG_TIME) fuzz-run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/rcms
	install -d $(DESTDIR)$(LIBDIR)
	install -m 0644 $(PLUGIN) $(DESTDIR)$(LIBDIR)/report.so
	install -m 0644 man/rcms.1 $(DESTDIR)$(MANDIR)/man1/rcms.1
	install -m 0644 man/rcms.conf.5 $(DESTDIR)$(MANDIR)/man5/rcms.conf.5
	install -m 0644 data/agreements.json $(DESTDIR)$(DATADIR)/agreements.json
	install -m 0755 $(XCH_BIN) $(DESTDIR)$(BINDIR)/rcms-exchange
	install -m 0644 exchange/pki.sh $(DESTDIR)$(DATADIR)/rcms-exchange-pki
	install -d $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0644 man/rcms-exchange.8 $(DESTDIR)$(MANDIR)/man8/rcms-exchange.8
	install -m 0644 man/rcms-exchange.conf.5 $(DESTDIR)$(MANDIR)/man5/rcms-exchange.conf.5
	install -m 0644 exchange/rcms-exchange.service \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/rcms-exchange.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rcms-exchange \
		$(DESTDIR)$(DATADIR)/rcms-exchange-pki \
		$(DESTDIR)$(MANDIR)/man8/rcms-exchange.8 \
		$(DESTDIR)$(MANDIR)/man5/rcms-exchange.conf.5 \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/rcms-exchange.service
	rm -f $(DESTDIR)$(LIBDIR)/report.so
	rm -f $(DESTDIR)$(BINDIR)/rcms $(DESTDIR)$(MANDIR)/man1/rcms.1 \
		$(DESTDIR)$(MANDIR)/man5/rcms.conf.5 \
		$(DESTDIR)$(DATADIR)/agreements.json

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
