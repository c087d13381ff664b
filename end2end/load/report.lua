-- Shared by the portal's wrk scripts (loaded with dofile): counts the answers
-- by class in each thread and prints, at the end, one line of JSON: requests,
-- responses by class, socket errors, latency percentiles (end2end/helpers/wrk.ts
-- reads it).

server_errors = 0
client_errors = 0

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    client_errors = client_errors + 1
  end
end

function done(summary, latency, requests)
  local fivexx, fourxx = 0, 0
  for _, thread in ipairs(threads) do
    fivexx = fivexx + thread:get("server_errors")
    fourxx = fourxx + thread:get("client_errors")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.1f,"server_errors":%d,"client_errors":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"p50_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, fivexx, fourxx,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
