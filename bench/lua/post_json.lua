-- POSTs each (session, seat) pair of `seat_pairs` once, as a one-seat booking,
-- with the JWTs of `access_tokens` in turn. The runner writes both strings
-- above this script; thread i takes pairs i, i + n, i + 2n, ... so no two
-- requests ask for the same seat.

local requests = {}
local next_request = 0

function prepare()
  local tokens = {}
  for token in access_tokens:gmatch("%S+") do
    table.insert(tokens, token)
  end
  local index = 0
  for session, seat in seat_pairs:gmatch("(%d+) (%d+)") do
    if index % thread_count == thread_index then
      local headers = {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. tokens[(#requests % #tokens) + 1],
      }
      local body = string.format('{"session": %s, "seats": [%s]}', session, seat)
      table.insert(requests, wrk.format("POST", booking_path, headers, body))
    end
    index = index + 1
  end
end

function request()
  -- Past the end (only if the runner's share was too generous) the first
  -- seats come round again and answer 409, which the figures then show.
  next_request = next_request % #requests + 1
  return requests[next_request]
end
