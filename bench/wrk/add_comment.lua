-- POST /api/v1/cases/{number}/comments: an internal note on a case chosen at random from a
-- range of existing case numbers (internal, so no customer mail is queued).
-- Environment: CASEDESK_TOKEN, CASEDESK_FIRST, CASEDESK_LAST.
local token = os.getenv("CASEDESK_TOKEN")
local first = tonumber(os.getenv("CASEDESK_FIRST"))
local last = tonumber(os.getenv("CASEDESK_LAST"))
local body = '{"body": "Checked the logs again: no change.", "visibility": "internal"}'

request = function()
  local path = "/api/v1/cases/" .. math.random(first, last) .. "/comments"
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

response = function(status, headers, body)
  if status ~= 201 then io.stderr:write("unexpected status " .. status .. "\n") end
end
