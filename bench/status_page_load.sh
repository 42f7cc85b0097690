#!/usr/bin/env bash
# HTTP load benchmark of the public status page on the real binary with wrk (64 keep-alive
# connections on 127.0.0.1, wrk on the same 2 cores as the server). A page with 16 components
# in 4 groups, one open incident with two updates and one scheduled maintenance; then
# /api/v2/summary.json, /api/v2/status.json and /status, each as browsers ask for it
# (Accept-Encoding: gzip) and uncompressed. Target: 30,000 requests per second for
# summary.json and the page. Usage: bench/status_page_load.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:-build}
seconds=${2:-8}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=serve_desk.sh
source "$here/serve_desk.sh"

first=""
for group in "EU West" "EU Central" "US East" "Asia Pacific"; do
  for name in API Dashboard Storage Network; do
    id=$(api -d "{\"name\":\"$name\",\"group\":\"$group\"}" "$url/api/v1/status/components" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    first=${first:-$id}
  done
done
incident=$(api -d "{\"name\":\"Elevated API errors\",\"impact\":\"major\",\"body\":\"We are investigating.\",\"component_ids\":[$first],\"component_status\":\"partial_outage\"}" \
  "$url/api/v1/status/incidents" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api -d '{"status":"identified","body":"A faulty load balancer was taken out of service."}' \
  "$url/api/v1/status/incidents/$incident/updates" >/dev/null
api -d "{\"name\":\"Database upgrade\",\"body\":\"Planned upgrade.\",\"component_ids\":[$first],\"scheduled_for\":\"2099-01-01T01:00:00Z\",\"scheduled_until\":\"2099-01-01T03:00:00Z\"}" \
  "$url/api/v1/status/maintenances" >/dev/null
sleep 1

for path in /api/v2/summary.json /api/v2/status.json /status; do
  plain=$(curl -s "$url$path" | wc -c)
  packed=$(curl -s -H 'Accept-Encoding: gzip' "$url$path" | wc -c)
  echo "== $path ($plain bytes, $packed gzipped), ${seconds}s"
  echo -n "gzip:  "; wrk -t2 -c64 -d"${seconds}s" -H 'Accept-Encoding: gzip' "$url$path" | grep -E 'Requests/sec'
  echo -n "plain: "; wrk -t2 -c64 -d"${seconds}s" "$url$path" | grep -E 'Requests/sec'
done
echo "== /healthz (reference: the server's floor for a tiny response), ${seconds}s"
echo -n "plain: "; wrk -t2 -c64 -d"${seconds}s" "$url/healthz" | grep -E 'Requests/sec'
echo "RSS after: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
