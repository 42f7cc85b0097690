-- GET /api/v1/cases/{number} over a range of existing case numbers.
-- Environment: CASEDESK_TOKEN, CASEDESK_FIRST, CASEDESK_LAST.
local token = os.getenv("CASEDESK_TOKEN")
local first = tonumber(os.getenv("CASEDESK_FIRST"))
local last = tonumber(os.getenv("CASEDESK_LAST"))
local next_number = first

request = function()
  local path = "/api/v1/cases/" .. next_number
  next_number = next_number + 1
  if next_number > last then next_number = first end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
  if status ~= 200 then io.stderr:write("unexpected status " .. status .. "\n") end
end
