# The two commands of the README, and the pieces they are made of.
.PHONY: run test setup bench release

run:    ## build and serve the portal on http://127.0.0.1:3000
	scripts/run.sh

test:   ## every unit, integration, WASM and end-to-end test
	scripts/test.sh

bench:  ## the served product measured: sizes, time to interactive, req/s, memory, logins
	scripts/bench.sh

release: ## the production build (release server, optimised and precompressed WASM)
	scripts/release.sh

setup:  ## install the build tools only
	scripts/setup.sh e2e
