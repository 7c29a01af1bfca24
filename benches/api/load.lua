-- wrk script for benches/api/run. Arguments: a file of pre-built requests, one a line
-- "<Authorization value or ->\t<JSON body>", the number of wrk threads, and the first line
-- to use. Thread t takes lines first+t, first+t+threads, … and sends them in turn,
-- cycling through its share (for reads: each request as another user); for writes every
-- line is used once, and `wrapped` counts requests sent after a thread's share ran out.
-- A response counts as an error unless it is HTTP 200 without a GraphQL "errors" key.
local threads = {}
local count = 0

function setup(thread)
  thread:set("tid", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads, first = args[1], tonumber(args[2]), tonumber(args[3] or "0")
  reqs = {}
  local i = 0
  for line in io.lines(file) do
    if i >= first and (i - first) % nthreads == tid then
      local auth, body = line:match("^([^\t]*)\t(.*)$")
      local headers = { ["Content-Type"] = "application/json" }
      if auth ~= "-" then headers["Authorization"] = auth end
      reqs[#reqs + 1] = wrk.format("POST", wrk.path, headers, body)
    end
    i = i + 1
  end
  if #reqs == 0 then error("no requests for thread " .. tid .. " in " .. file) end
  sent, errors, wrapped = 0, 0, 0
  first_line, stride = first, nthreads
end

function request()
  sent = sent + 1
  if sent > #reqs then wrapped = wrapped + 1 end
  return reqs[(sent - 1) % #reqs + 1]
end

function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    errors = errors + 1
    if errors <= 2 then io.stderr:write("error response: " .. status .. " " .. body:sub(1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local e, w, next_line = 0, 0, 0
  for _, t in ipairs(threads) do
    e = e + t:get("errors")
    w = w + t:get("wrapped")
    -- The line after the last one this thread sent: where the next write run starts.
    local after = t:get("first_line") + t:get("tid") + t:get("sent") * t:get("stride")
    if after > next_line then next_line = after end
  end
  local se = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d errors=%d wrapped=%d next=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    se.connect + se.read + se.write + se.timeout, e, w, next_line))
end
