# callbacklab: the two commands you need are `make run` and `make test`.

GO ?= go
# Every package except the lesson exercises, which fail until a learner solves them. The
# lesson set itself is proved by internal/lessonproof, which runs them with the solutions.
PKGS = $(shell $(GO) list ./... | grep -v '^callbacklab/lessons/[0-9]')
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run test check bench fuzz fmt lint

## run: serve the playground on http://127.0.0.1:8080/
run:
	$(GO) run . serve

## test: everything that must pass (vet, the tests with the race detector, the lesson proof)
test:
	$(GO) vet ./...
	$(GO) test -race -timeout 8m $(PKGS)

## check: run your lessons' tests and show your progress
check:
	$(GO) run . check

## bench: the benchmarks the issues ask for, side by side with their baselines
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 20m $(PKGS)
	bash bench/startup.sh

## fuzz: run every fuzz target for a short while (FUZZTIME=30s by default)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $(PKGS); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## fmt: format the code
fmt:
	gofmt -w $$(git ls-files '*.go')

## lint: go vet and staticcheck (installed through the Go module proxy)
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) $(PKGS)
