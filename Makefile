# smartregion — PGXS build.  Sources are found by glob so that each family
# only adds files in its own place (see docs/architecture.md).

EXTENSION   = smartregion
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" smartregion.control)

MODULE_big  = smartregion
CORE_SRCS   = $(sort $(wildcard extension/core/*.c))
GLUE_SRCS   = $(sort $(wildcard extension/pg/*.c))
OBJS        = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

# The install script is joined from numbered fragments at build time.
INSTALL_FRAGMENTS = $(sort $(wildcard extension/sql/install/*.sql))
DATA_built  = smartregion--$(EXTVERSION).sql
# Released upgrade scripts (frozen once released) and released full scripts.
DATA        = $(wildcard extension/sql/updates/smartregion--*--*.sql) \
              $(wildcard extension/sql/released/smartregion--*.sql)

# pg_regress: one file per family in sql/, expected output in expected/.
REGRESS      = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=postgis --load-extension=pgcrypto --load-extension=smartregion
# pg_isolation_regress: concurrent sessions (specs/*.spec, expected output in expected/)
ISOLATION      = $(sort $(basename $(notdir $(wildcard specs/*.spec))))
ISOLATION_OPTS = --load-extension=postgis --load-extension=pgcrypto --load-extension=smartregion

GEOS_CONFIG ?= geos-config
PKG_CONFIG  ?= pkg-config
PG_CPPFLAGS = -Iextension/include -Iextension/pg -DSR_LIB_VERSION=\"$(EXTVERSION)\" \
              $(shell $(GEOS_CONFIG) --cflags) $(shell $(PKG_CONFIG) --cflags proj) \
              $(shell $(PKG_CONFIG) --cflags libxml-2.0)
# Warnings are errors on the project's own files.  -Wshadow=compatible-local is in
# PostgreSQL 16 and 17's own CFLAGS (pg_config --cflags), not in 15's: asked here too, so a
# build on 15 refuses what one on 17 would (scripts/pg17-test.sh).
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
              -Wno-missing-field-initializers -Wno-declaration-after-statement \
              -Wno-cast-function-type -Wshadow=compatible-local
# The cadastre's per-surface kernel is worth -O3 (inlining and vectorising
# the per-plane set-up: ~10 %) and -fno-trapping-math (lets GCC turn the
# per-column selects into vector blends: +11-23 %; the kernel never reads
# the floating-point exception flags), docs/performance-cadastre.md.
extension/core/cadastre_irradiation.o extension/core/cadastre_sample.o: override CFLAGS += -O3 -fno-trapping-math
# libxml2 (the CityGML reader, extension/core/city_citygml.c) is the one
# PostgreSQL itself links.
SHLIB_LINK  = $(shell $(GEOS_CONFIG) --clibs) $(shell $(PKG_CONFIG) --libs proj) \
              $(shell $(PKG_CONFIG) --libs libxml-2.0) -lm

EXTRA_CLEAN = $(DATA_built) $(DATA_built).tmp extension/tests/unit/bin results regression.diffs regression.out \
              $(OBJS:.o=.d) $(OBJS:.o=.bc.d)

# PostgreSQL 15 by default; PG_CONFIG=/usr/lib/postgresql/16/bin/pg_config for another.
PG_CONFIG  ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
# Header dependencies.  PGXS records them only for a PostgreSQL configured
# with --enable-depend (Debian's is not): a header change then rebuilt only
# the changed .c files, and objects built against a struct's old layout
# crashed the server (sr_query grew a field; geometry.o kept the old size).
# Each object and bitcode file now lists the headers it read (*.d).
%.o: CPPFLAGS += -MMD -MP
%.bc: CPPFLAGS += -MMD -MP -MF $@.d
-include $(OBJS:.o=.d) $(OBJS:.o=.bc.d)
# No install into an installation a CI run is testing: .ci/run holds its lock, and only its
# own installs pass (scripts/install-guard.sh).  Checked before anything is written: the
# install directories are made first, by both of PGXS's install recipes.
.PHONY: install-guard
install-guard:
	@PG_CONFIG='$(PG_CONFIG)' DESTDIR='$(DESTDIR)' scripts/install-guard.sh
install installdirs installdirs-lib: install-guard
else
# Fresh machine: no server development files yet.  `make demo` and `make test`
# install them first (scripts/deps.sh) and then call make again.
all install:
	@echo "PostgreSQL server development files not found: run 'make deps' (as root) first" >&2; exit 1
endif

# Joined as `cat` would, with the build-time markers expanded (scripts/install-sql.awk,
# docs/development.md#build); a marker it refuses fails the build and leaves no script.
$(DATA_built): $(INSTALL_FRAGMENTS) smartregion.control scripts/install-sql.awk extension/pg/sr_schema_usage.h
	awk -v rule=extension/pg/sr_schema_usage.h -f scripts/install-sql.awk $(INSTALL_FRAGMENTS) > $@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# ---------------------------------------------------------------------------
# Project targets (the README's two commands are `make demo` and `make test`)
.PHONY: deps demo demo-stop test unit check-wall portability print-glue-flags bench cluster-start cluster-stop

deps:
	@scripts/deps.sh

demo:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

demo-stop:
	@scripts/cluster.sh stop

test:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/test.sh

# C unit tests of the core only (no server needed).
unit: all
	@scripts/unit.sh

# Fails if anything under extension/core includes a PostgreSQL header.
check-wall:
	@scripts/check-wall.sh

# The glue against PostgreSQL 17's headers (compile only; part of make test).
portability:
	@scripts/portability-check.sh

# The whole suite's server side on a real PostgreSQL 17 (a Debian 13 chroot made with
# debootstrap, as root; slow, so not part of make test): docs/development.md#postgresql-17.
.PHONY: test-pg17
test-pg17:
	@scripts/pg17-test.sh

# The flags of the project's own files, for scripts/portability-check.sh.
print-glue-flags:
	@echo $(PG_CPPFLAGS) $(PG_CFLAGS)

bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

# The clients (docs/qgis.md, gdal.md, web.md, city3d-publish.md): `make serve` serves the web
# pages (web/server.mjs: the 2D map of the solar roofs, the city in 3D); `make test-clients`
# runs QGIS headless, the documented ogr2ogr exports and the pages in headless Chromium.  QGIS
# and GDAL come from scripts/deps-clients.sh, so that `make test` needs neither.
.PHONY: serve test-clients
serve:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/serve.sh

test-clients:
	@scripts/deps.sh
	@scripts/deps-clients.sh
	@$(MAKE) --no-print-directory all
	@scripts/test-clients.sh
