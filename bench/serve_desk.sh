# Sourced by the HTTP load benchmarks: starts the real binary on a fresh SQLite desk in a
# scratch directory and leaves behind $bin, $work, $server_pid, $token (an admin's API token),
# $url and an `api` function (curl with the token); the desk is stopped and removed on exit.
# Needs $build (the build directory) set by the caller.
bin=$(cd "$build" && pwd)/casedesk
work=$(mktemp -d)
server_pid=""
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

CASEDESK_ADMIN_PASSWORD=bench-password-123 "$bin" init --data "$work/data" --admin-email admin@bench.test >/dev/null
token=$("$bin" token create --data "$work/data" --email admin@bench.test --name bench)
"$bin" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")

api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
