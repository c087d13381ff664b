-- wrk script: many people browsing at once (issue 18, item 5;
-- end2end/tests/sessions_load.spec.ts): each request is a logged-in person's
-- page or read-only server function, with the next of the sessions' cookies,
-- and each connection waits a person's moment between two requests (wrk's
-- delay(); the latencies do not count it).
--
-- Environment:
--   PORTAL_LOAD_COOKIE_FILE  one Cookie header value per line (a session each)
--   PORTAL_LOAD_THINK_MS     the mean pause between two requests of one
--                            connection (each drawn between half and one and a
--                            half times it)
--
-- Only what every logged-in person may read is asked, so any 4xx means a
-- session was refused. At the end it prints one line of JSON.

local pages = {
  "/", "/mes-structures", "/mes-rattachements", "/mes-habilitations",
  "/historique-de-mes-demandes", "/mes-facteurs-authentification",
  "/rattachements/demander", "/structures/creer",
}

local functions = {
  { "me", "" }, { "factors", "" }, { "my-sessions", "" },
  { "my-structures", "page=1&per_page=5" }, { "my-attachments", "page=1" },
  { "my-authorisations", "page=1" }, { "request-history", "page=1" },
}

local cookies = {}
local next_cookie = 1
local next_request = 1
local think = 1000
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

function init(args)
  local path = os.getenv("PORTAL_LOAD_COOKIE_FILE")
  for line in io.lines(path) do
    if line ~= "" then table.insert(cookies, line) end
  end
  think = tonumber(os.getenv("PORTAL_LOAD_THINK_MS") or "1000")
  math.randomseed(os.time() + #tostring({}))
  next_cookie = math.random(#cookies)
  next_request = math.random(#pages + #functions)
end

function delay()
  return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
end

function request()
  local cookie = cookies[next_cookie]
  next_cookie = next_cookie % #cookies + 1
  local index = next_request
  next_request = next_request % (#pages + #functions) + 1
  if index <= #pages then
    return wrk.format("GET", pages[index], {
      ["Accept"] = "text/html", ["Accept-Encoding"] = "br, gzip", ["Cookie"] = cookie,
    })
  end
  local f = functions[index - #pages]
  return wrk.format("POST", "/api/" .. f[1], {
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, f[2])
end
