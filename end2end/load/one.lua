-- wrk script for one request, repeated (`make bench`, one page kind at a time).
--
-- Environment: PORTAL_LOAD_METHOD (GET), PORTAL_LOAD_PATH, PORTAL_LOAD_BODY
-- (a form, for a server function), PORTAL_LOAD_COOKIE (a session, or empty);
-- for the API: PORTAL_LOAD_CONTENT_TYPE (the body's, a form by default),
-- PORTAL_LOAD_AUTHORIZATION and PORTAL_LOAD_CPRO_ACCOUNT (its two headers).
-- Prints one line of JSON: requests/s, latency percentiles, errors.

local threads = {}
server_errors = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local method = os.getenv("PORTAL_LOAD_METHOD") or "GET"
  local body = os.getenv("PORTAL_LOAD_BODY")
  local headers = { ["Accept-Encoding"] = "br, gzip" }
  local cookie = os.getenv("PORTAL_LOAD_COOKIE") or ""
  if cookie ~= "" then headers["Cookie"] = cookie end
  if method == "POST" then
    headers["Accept"] = "application/json"
    headers["Content-Type"] = os.getenv("PORTAL_LOAD_CONTENT_TYPE") or "application/x-www-form-urlencoded"
  end
  local authorization = os.getenv("PORTAL_LOAD_AUTHORIZATION") or ""
  if authorization ~= "" then headers["Authorization"] = authorization end
  local account = os.getenv("PORTAL_LOAD_CPRO_ACCOUNT") or ""
  if account ~= "" then headers["cpro-account"] = account end
  prepared = wrk.format(method, os.getenv("PORTAL_LOAD_PATH"), headers, body)
end

function request()
  return prepared
end

function response(status)
  if status >= 500 then server_errors = server_errors + 1 end
end

function done(summary, latency, requests)
  local fivexx = 0
  for _, thread in ipairs(threads) do fivexx = fivexx + thread:get("server_errors") end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"rps":%.0f,"p50_ms":%.2f,"p99_ms":%.2f,"server_errors":%d,"socket_errors":%d,"non_2xx_3xx":%d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, fivexx,
    e.connect + e.read + e.write + e.timeout, e.status))
end
