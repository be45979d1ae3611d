# SPDX-License-Identifier: GPL-2.0
# pcrace: one program (./pcrace) built from bpf/, record/, cli/ and lib/.
# Build artifacts live in .output/ (BPF objects, skeletons, vmlinux.h).

OUTPUT     ?= .output
CC         ?= cc
CLANG      ?= clang
LLVM_STRIP ?= llvm-strip
BPFTOOL    ?= bpftool
PREFIX     ?= /usr/local
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
ARCH       := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

CFLAGS     ?= -g -O2
CFLAGS     += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	      -D_GNU_SOURCE -Iinclude -Ilib -I$(OUTPUT)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Iinclude -I$(OUTPUT) \
	      -Wall -Wno-unused-function
LDLIBS     := -lbpf -lelf -lz -luring -lpthread -lm
# pcrace is one static binary where the archives are installed (Debian's
# -dev packages have them): it runs as is in a test VM that has no libbpf
# or liburing, and under TCG it starts without the dynamic loader's work
# on four libraries read over 9p (see README.md).
STATIC_LIBS := $(foreach l,bpf elf z uring,$(filter /%,$(shell $(CC) -print-file-name=lib$(l).a)))
PCRACE_LDFLAGS ?= $(if $(filter 4,$(words $(STATIC_LIBS))),-static)

LIB_SRCS    := $(wildcard lib/*.c)
RECORD_SRCS := $(wildcard record/*.c)
REPLAY_SRCS := $(wildcard replay/*.c)
BISECT_SRCS := $(wildcard bisect/*.c)
CLI_SRCS    := $(wildcard cli/*.c)
SRCS        := $(LIB_SRCS) $(RECORD_SRCS) $(REPLAY_SRCS) $(BISECT_SRCS) $(CLI_SRCS)
OBJS        := $(patsubst %.c,$(OUTPUT)/%.o,$(SRCS))
LIB_OBJS    := $(patsubst %.c,$(OUTPUT)/%.o,$(LIB_SRCS))
BPF_SRCS    := $(wildcard bpf/*.bpf.c)
SKELS       := $(patsubst bpf/%.bpf.c,$(OUTPUT)/%.skel.h,$(BPF_SRCS))

TEST_SRCS   := $(wildcard tests/*.c)
TEST_BINS   := $(patsubst tests/%.c,$(OUTPUT)/tests/%,$(TEST_SRCS))
BENCH_SRCS  := $(filter-out %.bpf.c,$(wildcard bench/*.c))
# corpora workloads: corpora/<scenario>/<prog>.c -> .output/corpora/<scenario>/<prog>
CORPORA_SRCS := $(wildcard corpora/*/*.c)
CORPORA_BINS := $(patsubst corpora/%.c,$(OUTPUT)/corpora/%,$(CORPORA_SRCS))
BENCH_BINS  := $(patsubst bench/%.c,$(OUTPUT)/bench/%,$(BENCH_SRCS))

.PHONY: all check test-bins bench-bins install clean
all: pcrace

pcrace: $(OBJS)
	$(CC) $(CFLAGS) $(PCRACE_LDFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/vmlinux.h:
	@mkdir -p $(@D)
	@test -r $(VMLINUX_BTF) || { echo "make: $(VMLINUX_BTF) not readable: a kernel with BTF is needed to build" >&2; exit 1; }
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c include/pcrace_abi.h $(OUTPUT)/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(OUTPUT)/%.o: %.c | $(SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Test and bench helpers: small programs, linked with lib/ where they need it.
$(OUTPUT)/tests/%: tests/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) $(LDLIBS) -luring -lpthread -o $@

# the trace's plan against its text's: replay's plan builders too
PLAN_OBJS := $(OUTPUT)/replay/plan_parse.o $(OUTPUT)/replay/plan_trace.o \
	     $(OUTPUT)/replay/plan_image.o
$(OUTPUT)/tests/plan_compare: tests/plan_compare.c $(LIB_OBJS) $(PLAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) $(PLAN_OBJS) $(LDLIBS) -o $@
$(OUTPUT)/tests/plan_deps: tests/plan_deps.c $(LIB_OBJS) $(PLAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) $(PLAN_OBJS) $(LDLIBS) -o $@

# the data oracle's model on its own
$(OUTPUT)/tests/shadow_model: tests/shadow_model.c $(OUTPUT)/replay/shadow.o \
			      $(PLAN_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(filter-out %.h,$^) $(LDLIBS) -lpthread -o $@

$(OUTPUT)/bench/%: bench/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(OUTPUT)/bench $< $(LIB_OBJS) $(LDLIBS) -luring -lpthread -o $@
# a recording's gaps against a second recording's: replay's plan builders
$(OUTPUT)/bench/timing_self: bench/timing_self.c $(LIB_OBJS) $(PLAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(LIB_OBJS) $(PLAN_OBJS) $(LDLIBS) -o $@

# bench's own BPF: the probe floor that record's overhead is set against
$(OUTPUT)/bench/%.bpf.o: bench/%.bpf.c $(OUTPUT)/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(OUTPUT)/bench/%.skel.h: $(OUTPUT)/bench/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(OUTPUT)/bench/probe_floor: $(OUTPUT)/bench/probe_floor.skel.h

$(OUTPUT)/corpora/%: corpora/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< -lpthread -o $@

# the tests use bench/event_gen as a load generator too
# Fuzz harnesses: libFuzzer with ASan and UBSan (clang's runtime).
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Ilib
FUZZ_SRCS := $(LIB_SRCS) replay/plan_parse.c replay/plan_trace.c \
	     replay/plan_image.c
$(OUTPUT)/fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS) tests/plan_equal.h
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) $< $(FUZZ_SRCS) -lz -o $@

test-bins: pcrace $(TEST_BINS) $(BENCH_BINS) $(CORPORA_BINS) $(OUTPUT)/fuzz/fuzz_trace
bench-bins: pcrace $(BENCH_BINS)

check: test-bins
	prove -v tests/

install: pcrace
	install -D -m 0755 pcrace $(DESTDIR)$(PREFIX)/bin/pcrace

clean:
	rm -rf $(OUTPUT) pcrace

-include $(OBJS:.o=.d)
