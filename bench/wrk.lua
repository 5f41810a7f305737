-- wrk script: rotate through the paths in the PATHS environment variable ("|"-separated, a
-- leading "!" marks an htmx request) and print the summary as one JSON line.
--
-- MODE=hit (default): the paths as given, the page cache answers after the first round.
-- MODE=miss: every request is one the site has never answered: "{pair}" becomes a pair of
--   models never asked for before ("model-i-vs-model-j", MODELS models, OFFSET pairs skipped),
--   "{model}" a model slug in turn, and any other path gets a query parameter of its own.
-- MODE=etag: each request carries If-None-Match: ETAG (one path), as a revalidating cache does.
local paths = {}
for item in string.gmatch(os.getenv("PATHS") or "/", "[^|]+") do
  table.insert(paths, item)
end
local mode = os.getenv("MODE") or "hit"
local models = tonumber(os.getenv("MODELS") or "37")
local offset = tonumber(os.getenv("OFFSET") or "0")
local etag = os.getenv("ETAG")
local counter = 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads - 1)
end

init = function(args)
  nthreads = tonumber(os.getenv("THREADS") or "2")
end

-- The g-th request of the run: distinct unordered pairs {i, i + d} for d up to (n - 1) / 2.
local function pair(g)
  local span = math.floor((models - 1) / 2)
  g = g % (models * span)
  local i = g % models
  local d = 1 + math.floor(g / models)
  return string.format("model-%d-vs-model-%d", i, (i + d) % models)
end

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = { ["Accept-Encoding"] = "gzip" }
  if string.sub(path, 1, 1) == "!" then
    path = string.sub(path, 2)
    headers["HX-Request"] = "true"
  end
  if mode == "miss" then
    local g = offset + counter * nthreads + (id or 0)
    if string.find(path, "{pair}", 1, true) then
      path = string.gsub(path, "{pair}", pair(g))
    else
      path = string.gsub(path, "{model}", "model-" .. (g % models))
      local sep = string.find(path, "?", 1, true) and "&" or "?"
      path = path .. sep .. "bench=" .. g
    end
  elseif mode == "etag" then
    headers["If-None-Match"] = etag
  end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
