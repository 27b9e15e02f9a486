-- POSTs each line of `bodies` once: "<n> <JSON>", the JSON sent to `post_path`
-- with the n-th JWT of `access_tokens` (1-based). The runner writes the three
-- strings above this script (load.post_script); thread i takes lines i, i + n,
-- i + 2n, ... so no two requests ask for the same seat or hold.

local requests = {}
local next_request = 0

function prepare()
  local tokens = {}
  for token in access_tokens:gmatch("%S+") do
    table.insert(tokens, token)
  end
  local index = 0
  for number, body in bodies:gmatch("(%d+) ([^\n]+)") do
    if index % thread_count == thread_index then
      local headers = {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. tokens[tonumber(number)],
      }
      table.insert(requests, wrk.format("POST", post_path, headers, body))
    end
    index = index + 1
  end
end

function request()
  -- Past the end (only if the runner's share was too generous) the first
  -- requests come round again and answer 409, which the figures then show.
  next_request = next_request % #requests + 1
  return requests[next_request]
end
