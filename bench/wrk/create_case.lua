-- POST /api/v1/cases with a bearer token; every request a new case.
-- Environment: CASEDESK_TOKEN, CASEDESK_ORG.
local token = os.getenv("CASEDESK_TOKEN")
local org = os.getenv("CASEDESK_ORG")
local counter = 0

request = function()
  counter = counter + 1
  local body = string.format(
    '{"subject":"Load case %d","description":"Created by the load benchmark; server web-%d ' ..
    'answers 502 after the upgrade.","severity":%d,"org_id":%s,"category":"incident",' ..
    '"fields":{"server_name":"web-%d","stack":"uc1"}}',
    counter, counter % 97, 1 + counter % 4, org, counter % 97)
  return wrk.format("POST", "/api/v1/cases", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

response = function(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
