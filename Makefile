# userns-watch build. `make V=1` shows full commands.
ARCH ?= x86
CLANG ?= clang
BPFTOOL ?= bpftool
prefix ?= /usr/local
# Architectures (include/uw_arch.h says what differs): x86 builds natively into .output/;
# another is cross-built into .output/<arch>/ with Debian's cross compiler and the
# architecture's libraries installed through multiarch (tools/dev/install-deps.sh --test).
CROSS_arm64 := aarch64-linux-gnu
ifeq ($(ARCH),x86)
OUTPUT := .output
CC ?= gcc
PKG_CONFIG ?= pkg-config
else
ifeq ($(CROSS_$(ARCH)),)
$(error ARCH=$(ARCH): not an architecture userns-watch builds for (x86, arm64))
endif
OUTPUT := .output/$(ARCH)
CC := $(CROSS_$(ARCH))-gcc
PKG_CONFIG := PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS_$(ARCH))/pkgconfig:/usr/share/pkgconfig pkg-config
endif
DESTDIR ?=

VMLINUX := include/$(ARCH)/vmlinux.h
BPF_SRC := bpf/userns_watch.bpf.c
BPF_OBJ := $(OUTPUT)/userns_watch.bpf.o
# make bench's copy of userns-watch with the exec, fork and exit hooks returning at once
# (UW_BENCH_NOP): what a hook of this object costs before its code runs
BENCH_NOP := $(OUTPUT)/bench/nop
SKEL := $(OUTPUT)/userns_watch.skel.h
DIGEST_H := $(OUTPUT)/userns_watch.digest.h
# make test's variant build (below): the same sources, another BPF object
VARIANT = $(BUILD)/tests/variant
VARIANT_BIN = $(BUILD)/tests/userns-watch-variant

# SANITIZE=1: userns-watch and the unit tests built with AddressSanitizer and UBSan (any
# finding ends the program) into $(OUTPUT)/san, apart from the normal build; `make test
# SANITIZE=1` runs the whole suite with them.
ifeq ($(SANITIZE),1)
BUILD := $(OUTPUT)/san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DUW_SANITIZE
UW_BINARY := $(BUILD)/userns-watch
else
BUILD := $(OUTPUT)
SAN_FLAGS :=
UW_BINARY := $(if $(filter x86,$(ARCH)),userns-watch,$(OUTPUT)/userns-watch)
endif

# The program is main.c and watch.c (set-up and the run); everything else in user/ is a
# library the unit tests, fuzz harnesses and tools link against.
APP_SRCS := user/main.c user/watch.c
USER_SRCS := $(filter-out $(APP_SRCS),$(wildcard user/*.c))
USER_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(USER_SRCS))
INCLUDES := -Iinclude -I$(OUTPUT) -Iuser
CFLAGS ?= -g -O2
CFLAGS += -Wall -Wextra -Wno-unused-parameter -Werror -std=gnu11 -D_GNU_SOURCE $(INCLUDES)
LIBS := $(shell $(PKG_CONFIG) --libs libbpf jansson libseccomp yaml-0.1 libmicrohttpd 2>/dev/null || echo -lbpf -lelf -lz -ljansson -lseccomp -lyaml -lmicrohttpd) -lcap
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Iinclude -Iinclude/$(ARCH)
# Each compile writes the headers it read into .TARGET.d beside the target (hidden: globs over
# the build's programs do not see it; included at the end): a changed header rebuilds exactly
# what includes it. Generated headers (the skeletons) are made before the first compile that
# may need them (order-only), then followed like any other. $(DEP) makes a target whose .d is
# missing (built before these existed, or deleted) be built again.
DEPFLAGS = -MMD -MP -MT $@ -MF $(@D)/.$(@F).d
DEP = $$(if $$(wildcard $$(@D)/.$$(@F).d),,FORCE)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.SECONDEXPANSION:
.PHONY: all clean test test-deps unit helpers integration install uninstall vmlinux deps bench bench-tools vmtest vmtest-prep fuzz fuzz-build image image-rootfs replay-tools generated

all: $(UW_BINARY)

$(sort $(OUTPUT) $(BUILD)/user $(BUILD)/tests $(OUTPUT)/tests):
	$(Q)mkdir -p $@

# the object, make bench's nop copy of it and make test's variant (BPF_DEFS below)
$(BPF_OBJ) $(BENCH_NOP)/userns_watch.bpf.o $(VARIANT)/userns_watch.bpf.o: $(BPF_SRC) $(DEP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(BPF_DEFS) $(DEPFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp
	$(Q)rm -f $@.tmp

%/userns_watch.skel.h: %/userns_watch.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name userns_watch_bpf > $@

# the object's SHA-256 beside its skeleton (the skeleton holds the object's bytes as they are):
# --version says it (user/loader.c)
%/userns_watch.digest.h: %/userns_watch.bpf.o
	$(call msg,GEN-SHA,$@)
	$(Q)printf '#define UW_BPF_OBJECT_SHA256 "%s"\n' "$$(sha256sum < $< | cut -c1-64)" > $@

# What names the build (--version, the image's labels and SBOM): the git revision
# (tools/dist/buildinfo.sh; UW_REVISION=... names it by hand, e.g. for a release tarball), in a
# header of this build's own that is rewritten only when the revision changes and that only
# user/version.c reads: a commit recompiles that one file and relinks.
UW_REVISION ?=
REVISION_H := $(OUTPUT)/uw_revision.h

# (a file of this make's own first: two makes may run at once, as in CI)
$(REVISION_H): FORCE | $(OUTPUT)
	$(Q)r='$(UW_REVISION)'; [ -n "$$r" ] || r=$$(bash tools/dist/buildinfo.sh revision) || exit 1; \
	t=$@.$$$$; printf '#define UW_REVISION "%s"\n' "$$r" > $$t; \
	if cmp -s $$t $@; then rm -f $$t; else mv -f $$t $@; fi

$(BUILD)/user/%.o: user/%.c $(DEP) | $(SKEL) $(DIGEST_H) $(BUILD)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) -c $< -o $@

$(UW_BINARY): $(BUILD)/user/main.o $(BUILD)/user/watch.o $(USER_OBJS)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $^ $(LIBS) -o $@

# Regenerate the checked-in vmlinux.h: x86 from the running kernel's BTF, arm64 from Debian's
# arm64 kernel (tools/dev/vmlinux.sh).
vmlinux:
	BPFTOOL=$(BPFTOOL) bash tools/dev/vmlinux.sh $(ARCH) $(VMLINUX)

# ---- tests ----
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
# tests/unit/test_*.c are cmocka binaries; helpers are built apart
TEST_CFLAGS := $(CFLAGS) -Werror=unused-function $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(DEP) $(USER_OBJS) | $(BUILD)/tests
	$(call msg,TEST-CC,$@)
	$(Q)$(CC) $(TEST_CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) $< $(USER_OBJS) $(LIBS) $(TEST_LIBS) -o $@

unit: $(UNIT_BINS)

HELPERS := $(OUTPUT)/tests/uw-nstest $(OUTPUT)/tests/uw-probe $(OUTPUT)/tests/uw-compat

helpers: $(HELPERS)

# static: its first record (its exec) and what it does next are microseconds apart even under
# software emulation, where a dynamic loader takes long enough to outlast a container's setup
# hold (test_setup_lookalike_reported)
$(OUTPUT)/tests/uw-nstest: tests/helpers/uw-nstest.c $(DEP) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -static $< -lpthread -o $@

$(OUTPUT)/tests/uw-probe: tests/helpers/uw-probe.c $(DEP) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) $< $(LIBS) -o $@

# a static 32-bit program without libc for the compat system call table, no multilib needed:
# i386 on x86, AArch32 on arm64 (clang and lld: Debian has no static armhf libc to need)
COMPAT_CC_x86 := $(CC) -m32 -fno-pie -no-pie
COMPAT_CC_arm64 := $(CLANG) --target=armv7a-linux-gnueabihf -marm -fuse-ld=lld -fno-pie
$(OUTPUT)/tests/uw-compat: tests/helpers/uw-compat.c $(DEP) | $(OUTPUT)/tests
	$(call msg,CC-32,$@)
	$(Q)$(COMPAT_CC_$(ARCH)) -static -nostdlib -fno-stack-protector -O2 -Wall -Wextra -Werror $(DEPFLAGS) $< -o $@

# the test suite's own packages (runc, Docker, qemu, …): `make test-deps test` installs what
# is missing, then tests; make test and make vmtest install nothing (a test whose tool is
# missing is skipped and says which package has it; vmtest says what it lacks)
test-deps:
	$(Q)bash tools/dev/install-deps.sh --test

test:
	$(Q)$(MAKE) --no-print-directory $(UW_BINARY) unit $(HELPERS) $(IMAGE_ROOTFS) $(VARIANT_BIN)
	$(Q)UW_BIN=$(abspath $(UW_BINARY)) UW_VARIANT_BIN=$(abspath $(VARIANT_BIN)) bash tests/run.sh $(UNIT_BINS)

deps:
	bash tools/dev/install-deps.sh

# ---- fuzzing (libFuzzer with AddressSanitizer and UBSan): make fuzz ----
# Each harness in tests/fuzz/ runs for FUZZ_SECONDS (default 60), FUZZ_JOBS at a time, from
# its seed corpus (tests/fuzz/corpus/<name>, copied: the repository's seeds stay as they are);
# seeds that encode a layout are generated (tests/fuzz/seed_<x>.c writes those of fuzz_<x>):
# fuzz_record's from include/uw_event.h's records, fuzz_setns's from its steps (fuzz_setns.h).
# The library (user/ but the program and the loader) is compiled once for all harnesses.
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_LIB := $(filter-out user/loader.c,$(USER_SRCS))
FUZZ_OBJS := $(patsubst user/%.c,$(OUTPUT)/fuzz/obj/%.o,$(FUZZ_LIB))
FUZZ_CFLAGS = -g -O1 -fsanitize=$(1),address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Wno-unused-parameter -Werror -std=gnu11 -D_GNU_SOURCE $(INCLUDES) -Itests/fuzz

$(OUTPUT)/fuzz $(OUTPUT)/fuzz/obj:
	$(Q)mkdir -p $@

$(OUTPUT)/fuzz/obj/%.o: user/%.c $(DEP) | $(OUTPUT)/fuzz/obj
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(call FUZZ_CFLAGS,fuzzer-no-link) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/fuzz/%: tests/fuzz/%.c $(DEP) $(FUZZ_OBJS) | $(OUTPUT)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(call FUZZ_CFLAGS,fuzzer) $(DEPFLAGS) $< $(FUZZ_OBJS) $(LIBS) -o $@

FUZZ_SEEDERS := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(wildcard tests/fuzz/seed_*.c))

$(FUZZ_SEEDERS): $(OUTPUT)/fuzz/%: tests/fuzz/%.c $(DEP) | $(OUTPUT)/fuzz
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/fuzz $(DEPFLAGS) $< -o $@

fuzz-build: $(FUZZ_BINS) $(FUZZ_SEEDERS)

fuzz: fuzz-build
	$(Q)for s in $(FUZZ_SEEDERS); do \
		c=$(OUTPUT)/fuzz/corpus/fuzz_$${s##*/seed_}; mkdir -p $$c && $$s $$c || exit 1; done
	$(Q)bash tests/fuzz/run.sh $(FUZZ_BINS)

# ---- benchmarks (root): make bench writes BENCHMARKS.md ----
BENCH := $(OUTPUT)/bench
BENCH_TOOLS := $(BENCH)/tiny $(BENCH)/loop $(BENCH)/stamp $(BENCH)/empty $(BENCH)/replay \
	       $(BENCH)/userns-watch-nop

$(BENCH):
	$(Q)mkdir -p $@

$(BENCH)/tiny: tools/dev/bench/tiny.c | $(BENCH)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -static -nostdlib -o $@ $<

$(BENCH)/loop $(BENCH)/stamp: $(BENCH)/%: tools/dev/bench/%.c $(DEP) | $(BENCH)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) $< -o $@

$(BENCH)/empty.bpf.o: tools/dev/bench/empty.bpf.c $(DEP) | $(BENCH)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BENCH)/empty.skel.h: $(BENCH)/empty.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name empty_bpf > $@

$(BENCH)/empty: tools/dev/bench/empty.c $(DEP) | $(BENCH)/empty.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(BENCH) $(DEPFLAGS) $< $(LIBS) -o $@

$(BENCH_NOP)/userns_watch.bpf.o: BPF_DEFS := -DUW_BENCH_NOP

# make test's second build of the same sources: another BPF object (UW_BUILD_VARIANT), so
# another build digest; tests/integration/test_pin.sh upgrades a running watch to it
$(VARIANT)/userns_watch.bpf.o: BPF_DEFS := -DUW_BUILD_VARIANT=1

$(VARIANT)/loader.o: user/loader.c $(DEP) | $(VARIANT)/userns_watch.skel.h $(VARIANT)/userns_watch.digest.h
	$(call msg,CC,$@)
	$(Q)$(CC) -I$(VARIANT) $(CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) -c $< -o $@

$(VARIANT_BIN): $(BUILD)/user/main.o $(BUILD)/user/watch.o $(filter-out %/loader.o,$(USER_OBJS)) $(VARIANT)/loader.o
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $^ $(LIBS) -o $@

$(BENCH_NOP)/loader.o: user/loader.c $(DEP) | $(BENCH_NOP)/userns_watch.skel.h $(BENCH_NOP)/userns_watch.digest.h
	$(call msg,CC,$@)
	$(Q)$(CC) -I$(BENCH_NOP) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BENCH)/userns-watch-nop: $(BUILD)/user/main.o $(BUILD)/user/watch.o $(filter-out %/loader.o,$(USER_OBJS)) $(BENCH_NOP)/loader.o
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LIBS) -o $@

$(BENCH)/replay: tools/dev/bench/replay.c $(DEP) $(USER_OBJS) | $(BENCH)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) $< $(USER_OBJS) $(LIBS) -o $@

bench-tools: userns-watch $(BENCH_TOOLS)

bench: bench-tools
	$(Q)bash tools/dev/bench/run.sh

# ---- the replay tools (tools/dev/replay): make replay-tools; diff.sh proves a userspace change
# keeps the output byte for byte ----
REPLAY := $(OUTPUT)/replay

$(REPLAY):
	$(Q)mkdir -p $@

$(REPLAY)/replay $(REPLAY)/record: $(REPLAY)/%: tools/dev/replay/%.c $(DEP) $(USER_OBJS) | $(REPLAY)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -Itools/dev/replay $(DEPFLAGS) $< $(USER_OBJS) $(LIBS) -o $@

replay-tools: $(REPLAY)/replay $(REPLAY)/record

# ---- files made from the counter tables (include/uw_event.h, user/counters.h): the stats
# record's part of the JSON schema and the table in docs/output.md; a test checks they are
# current (tests/integration/test_counters.sh) ----
$(OUTPUT)/counters: tools/dev/counters.c $(DEP) $(USER_OBJS) | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) $< $(USER_OBJS) $(LIBS) -o $@

generated: $(OUTPUT)/counters
	$(Q)/usr/bin/python3 tools/dev/gen-counters.py $(OUTPUT)/counters

# ---- other kernels under qemu (root): make vmtest ----
vmtest:
	$(Q)$(MAKE) --no-print-directory $(UW_BINARY) $(HELPERS)
	$(Q)UW_BIN=$(abspath $(UW_BINARY)) bash tools/dev/vmtest/run.sh

# what make vmtest needs before its guests boot (the arm64 build, the guests' userlands, the
# kernels), made ahead: CI makes it while the host's suites run
vmtest-prep:
	$(Q)$(MAKE) --no-print-directory $(UW_BINARY) $(HELPERS)
	$(Q)UW_BIN=$(abspath $(UW_BINARY)) VM_PREPARE=1 bash tools/dev/vmtest/run.sh

# ---- a container image: make image (Docker; offline: FROM scratch, nothing pulled) ----
# The image holds userns-watch, built from its own objects (never the sanitizer's) and stripped,
# with the shared objects it loads and their copyright files, of the build's architecture
# (tools/dist/image/rootfs.sh: ARCH=arm64 takes Debian's arm64 packages the cross build links
# against), and its SBOM (tools/dist/image/sbom.py, SPDX 2.3 JSON, also beside the tree as
# $(IMAGE_DIR)/sbom.spdx.json). It is built for that architecture (docker build --platform) and
# tagged IMAGE:VERSION-ARCH (amd64, arm64); the image of the build machine's own architecture
# also IMAGE:VERSION, so both can stand side by side in one engine. Labels: OCI's version,
# revision, created, source (IMAGE_SOURCE: the git remote by default; not set when there is
# none), licenses, title and description. created is when the tree was made (SOURCE_DATE_EPOCH
# fixes it), so make image run again on an unchanged tree gives the same image. (Docker's
# classic builder keys its cache without the platform: harmless here, the two architectures'
# trees never match.) DOCKER names the client (a test points it at its own daemon).
IMAGE ?= userns-watch
DOCKER ?= docker
IMAGE_SOURCE ?= $(shell bash tools/dist/buildinfo.sh source)
UW_LICENSE := LGPL-2.1 OR BSD-2-Clause
IMAGE_DESCRIPTION := Reports container processes that run in the host's user namespace (eBPF)
UW_VERSION := $(shell sed -n 's/^\#define UW_VERSION "\(.*\)"/\1/p' user/version.h)
IMAGE_ARCH_x86 := amd64
IMAGE_ARCH_arm64 := arm64
IMAGE_ARCH := $(IMAGE_ARCH_$(ARCH))
IMAGE_DIR := $(OUTPUT)/image
IMAGE_BINARY := $(IMAGE_DIR)/userns-watch
IMAGE_ROOTFS := $(IMAGE_DIR)/rootfs.stamp
IMAGE_OBJS := $(patsubst user/%.c,$(IMAGE_DIR)/obj/%.o,$(APP_SRCS) $(USER_SRCS))
REVISION = $$(sed -n 's/^\#define UW_REVISION "\(.*\)"/\1/p' $(REVISION_H))

$(IMAGE_DIR)/obj:
	$(Q)mkdir -p $@

$(IMAGE_DIR)/obj/%.o: user/%.c $(DEP) | $(SKEL) $(DIGEST_H) $(IMAGE_DIR)/obj
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(IMAGE_BINARY): $(IMAGE_OBJS)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) -s $^ $(LIBS) -o $@

# the tree, the list of where each file is from (rootfs.files) and the time it was made
$(IMAGE_ROOTFS): $(IMAGE_BINARY) tools/dist/image/rootfs.sh
	$(call msg,ROOTFS,$(IMAGE_DIR)/rootfs)
	$(Q)bash tools/dist/image/rootfs.sh $(IMAGE_BINARY) $(IMAGE_DIR)/rootfs $(IMAGE_ARCH)
	$(Q)date -u $${SOURCE_DATE_EPOCH:+-d @$$SOURCE_DATE_EPOCH} +%Y-%m-%dT%H:%M:%SZ > $(IMAGE_DIR)/created
	$(Q)touch $@

# the tree with its SBOM, without Docker (make image builds the image from it)
image-rootfs: $(IMAGE_ROOTFS) tools/dist/image/sbom.py $(REVISION_H)
	$(call msg,SBOM,$(IMAGE_DIR)/sbom.spdx.json)
	$(Q)/usr/bin/python3 tools/dist/image/sbom.py write --rootfs $(IMAGE_DIR)/rootfs \
		--files $(IMAGE_DIR)/rootfs.files --arch $(IMAGE_ARCH) --name $(IMAGE) \
		--version $(UW_VERSION) --revision "$(REVISION)" --source '$(IMAGE_SOURCE)' \
		--created "$$(cat $(IMAGE_DIR)/created)" --license '$(UW_LICENSE)' \
		$(IMAGE_DIR)/sbom.spdx.json $(IMAGE_DIR)/rootfs/usr/share/doc/userns-watch/sbom.spdx.json

image: image-rootfs tools/dist/image/Dockerfile
	$(Q)cp tools/dist/image/Dockerfile $(IMAGE_DIR)/Dockerfile
	$(call msg,IMAGE,$(IMAGE):$(UW_VERSION)-$(IMAGE_ARCH))
	$(Q)src='$(IMAGE_SOURCE)'; tags="-t $(IMAGE):$(UW_VERSION)-$(IMAGE_ARCH)"; \
	[ "$$(dpkg --print-architecture)" != $(IMAGE_ARCH) ] || tags="$$tags -t $(IMAGE):$(UW_VERSION)"; \
	$(DOCKER) build -q --network none --pull=false --platform linux/$(IMAGE_ARCH) $$tags \
		--label org.opencontainers.image.version=$(UW_VERSION) \
		--label org.opencontainers.image.revision="$(REVISION)" \
		--label org.opencontainers.image.created="$$(cat $(IMAGE_DIR)/created)" \
		--label org.opencontainers.image.licenses='$(UW_LICENSE)' \
		--label org.opencontainers.image.title=userns-watch \
		--label org.opencontainers.image.description="$(IMAGE_DESCRIPTION)" \
		$${src:+--label "org.opencontainers.image.source=$$src"} $(IMAGE_DIR) >/dev/null

# the program, its man page, bash completion, the systemd unit (its ExecStart at this prefix;
# enable it with systemctl enable --now userns-watch), its drop-ins per sink and its options file
# as examples, and the example policy
SINK_DROPINS := network.conf output-file.conf syslog-unix.conf
INSTALLED := sbin/userns-watch share/man/man8/userns-watch.8 \
	share/bash-completion/completions/userns-watch lib/systemd/system/userns-watch.service \
	share/doc/userns-watch/policy.example.yaml share/doc/userns-watch/systemd/userns-watch.default \
	$(addprefix share/doc/userns-watch/systemd/,$(SINK_DROPINS))

install: $(UW_BINARY)
	install -d $(DESTDIR)$(prefix)/sbin $(DESTDIR)$(prefix)/share/man/man8 \
		$(DESTDIR)$(prefix)/share/bash-completion/completions $(DESTDIR)$(prefix)/lib/systemd/system \
		$(DESTDIR)$(prefix)/share/doc/userns-watch $(DESTDIR)$(prefix)/share/doc/userns-watch/systemd
	install -m 0755 $(UW_BINARY) $(DESTDIR)$(prefix)/sbin/userns-watch
	install -m 0644 tools/dist/man/userns-watch.8 $(DESTDIR)$(prefix)/share/man/man8/userns-watch.8
	install -m 0644 tools/dist/completion/userns-watch.bash \
		$(DESTDIR)$(prefix)/share/bash-completion/completions/userns-watch
	sed 's|^ExecStart=/usr/local/sbin/userns-watch|ExecStart=$(prefix)/sbin/userns-watch|' \
		tools/dist/systemd/userns-watch.service > $(DESTDIR)$(prefix)/lib/systemd/system/userns-watch.service
	chmod 0644 $(DESTDIR)$(prefix)/lib/systemd/system/userns-watch.service
	install -m 0644 tools/dist/policy/example.yaml $(DESTDIR)$(prefix)/share/doc/userns-watch/policy.example.yaml
	install -m 0644 tools/dist/systemd/userns-watch.default $(addprefix tools/dist/systemd/sinks/,$(SINK_DROPINS)) \
		$(DESTDIR)$(prefix)/share/doc/userns-watch/systemd/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(prefix)/,$(INSTALLED))
	-rmdir $(DESTDIR)$(prefix)/share/doc/userns-watch/systemd $(DESTDIR)$(prefix)/share/doc/userns-watch 2>/dev/null

clean:
	rm -rf $(OUTPUT) userns-watch

# the revision's header, before version.c's first compile (then its .d follows it as any header)
$(BUILD)/user/version.o $(IMAGE_DIR)/obj/version.o $(OUTPUT)/fuzz/obj/version.o: $(REVISION_H)

# the headers each object was built from (DEPFLAGS), of this ARCH and SANITIZE's build
.PHONY: FORCE
FORCE:
-include $(sort $(wildcard $(addsuffix /.*.d,$(OUTPUT) $(BUILD)/user $(BUILD)/tests $(OUTPUT)/tests \
	$(OUTPUT)/fuzz $(OUTPUT)/fuzz/obj $(BENCH) $(BENCH_NOP) $(VARIANT) $(IMAGE_DIR)/obj $(REPLAY))))
