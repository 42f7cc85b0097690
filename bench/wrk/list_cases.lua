-- GET /api/v1/cases with a filter and limit=25, rotating over filters.
-- Environment: CASEDESK_TOKEN, CASEDESK_ORG.
local token = os.getenv("CASEDESK_TOKEN")
local org = os.getenv("CASEDESK_ORG")
local filters = {
  "status=new&limit=25",
  "severity=1&limit=25",
  "org_id=" .. org .. "&limit=25",
  "status=new&severity=2&limit=25",
  "limit=25",
}
local i = 0

request = function()
  i = i + 1
  local query = filters[(i % #filters) + 1]
  return wrk.format("GET", "/api/v1/cases?" .. query, { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
  if status ~= 200 then io.stderr:write("unexpected status " .. status .. "\n") end
end
