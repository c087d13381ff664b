-- wrk script: every page and every read-only server function of the portal,
-- in turn, from each connection (issue 16's load test, end2end/tests/load.spec.ts,
-- and `make bench`).
--
-- Environment:
--   PORTAL_LOAD_COOKIE   the Cookie header to send (a logged-in session), or empty
--   PORTAL_LOAD_STATIC   space-separated static paths (hashed names change per build)
--
-- At the end it prints one line of JSON: requests, responses by class, socket
-- errors, latency percentiles. Server errors (5xx) are counted per thread and
-- summed in done().

local pages = {
  "/", "/connexion", "/creer-un-compte", "/activation?jeton=inconnu",
  "/reinitialisation?jeton=inconnu", "/mot-de-passe-oublie", "/mes-structures",
  "/structures/creer", "/structures/1/services", "/rattachements/demander",
  "/mes-rattachements", "/mes-habilitations", "/historique-de-mes-demandes", "/demandes-de-rattachement",
  "/support/structures", "/mes-facteurs-authentification", "/nulle-part", "/healthz",
}

-- Server functions that only read, with their form bodies.
local functions = {
  { "me", "" }, { "factors", "" }, { "my-sessions", "" },
  { "my-structures", "page=1&per_page=5" }, { "my-attachments", "page=1" },
  { "my-authorisations", "page=1" }, { "pending-profile-requests", "page=1" },
  { "my-profile-requests", "page=1" },
  { "request-history", "page=1" }, { "pending-requests", "page=1" },
  { "awaiting-structures", "page=1" }, { "structure-search", "query=ate&page=1" },
  { "services", "structure_id=1" }, { "request-services", "structure_id=1" },
  { "check-link", "token=inconnu" },
}

local requests = {}
local next_request = 1
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

function init(args)
  local cookie = os.getenv("PORTAL_LOAD_COOKIE") or ""
  local function headers(extra)
    local h = { ["Accept-Encoding"] = "br, gzip" }
    if cookie ~= "" then h["Cookie"] = cookie end
    for k, v in pairs(extra or {}) do h[k] = v end
    return h
  end
  for _, path in ipairs(pages) do
    table.insert(requests, wrk.format("GET", path, headers({ ["Accept"] = "text/html" })))
  end
  for path in string.gmatch(os.getenv("PORTAL_LOAD_STATIC") or "", "%S+") do
    table.insert(requests, wrk.format("GET", path, headers()))
  end
  for _, f in ipairs(functions) do
    table.insert(requests, wrk.format("POST", "/api/" .. f[1], headers({
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }), f[2]))
  end
  -- Connections start at different places in the list.
  next_request = math.random(#requests)
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
