#!/usr/bin/env bash
# HTTP load benchmark of the real binary with wrk: 64 keep-alive connections on 127.0.0.1.
# Measures durable case creation, case reads, filtered 25-row lists (after seeding SEED_CASES
# cases), and idle RSS. Usage: bench/http_load.sh BUILD_DIR [SEED_CASES] [SECONDS]
set -euo pipefail
build=${1:-build}
seed_cases=${2:-1000000}
seconds=${3:-10}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=serve_desk.sh
source "$here/serve_desk.sh"
sleep 1

# Runs wrk with the given arguments, prints its report and then the server's CPU time (user and
# system, from /proc) per request: on these shared 2-core machines the rate swings from run to
# run with what else runs, the CPU a request costs the server much less.
measured() {
  local ticks_before ticks_after report requests
  ticks_before=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
  report=$(wrk "$@")
  ticks_after=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
  echo "$report"
  requests=$(echo "$report" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
  echo "server CPU per request: $(( (ticks_after - ticks_before) * 1000000 / $(getconf CLK_TCK) / requests )) us"
}
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"

org=$(api -d '{"name":"Bench Customer","kind":"customer","parent_id":1,"plan":"enterprise"}' \
  "$url/api/v1/orgs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
export CASEDESK_TOKEN=$token CASEDESK_ORG=$org

echo "== durable case creation, 64 connections, ${seconds}s"
measured -t2 -c64 -d"${seconds}s" --latency -s "$here/wrk/create_case.lua" "$url" | tee "$work/create.txt"

first=$(api "$url/api/v1/cases?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["number"])')
export CASEDESK_FIRST=100001 CASEDESK_LAST=$first
echo "== GET /api/v1/cases/{number}, 64 connections, ${seconds}s"
measured -t2 -c64 -d"${seconds}s" --latency -s "$here/wrk/get_case.lua" "$url"

if (( seed_cases > 0 )); then
  echo "== seeding to $seed_cases cases"
  while :; do
    count=$(api "$url/api/v1/cases?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["number"] - 100000)')
    (( count >= seed_cases )) && break
    wrk -t2 -c64 -d10s -s "$here/wrk/create_case.lua" "$url" >/dev/null
  done
  echo "cases stored: $count"
  echo "== filtered 25-row lists, 64 connections, ${seconds}s"
  measured -t2 -c64 -d"${seconds}s" --latency -s "$here/wrk/list_cases.lua" "$url"
  echo "== filtered 25-row lists, 1 connection (latency without queueing), ${seconds}s"
  measured -t1 -c1 -d"${seconds}s" --latency -s "$here/wrk/list_cases.lua" "$url"
fi
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
