# The README's commands. `make run` and `make test` install what is missing, build, and go.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DATA_DIR ?= var
LISTEN ?= 127.0.0.1:8080
ADMIN_EMAIL ?= admin@casedesk.local

.PHONY: all deps build run test unit bench sanitize clean format

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASEDESK_UNITY=ON

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@if [ ! -f $(DATA_DIR)/casedesk.db ]; then \
	  $(BUILD_DIR)/casedesk init --data $(DATA_DIR) --admin-email $(ADMIN_EMAIL); \
	fi
	$(BUILD_DIR)/casedesk serve --data $(DATA_DIR) --listen $(LISTEN)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

bench: build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target benchmarks
	scripts/run-benchmarks $(BUILD_DIR)

sanitize: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCASEDESK_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

format:
	find src bench test -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan
