-- wrk script: rotate through the paths in the PATHS environment variable ("|"-separated,
-- a leading "!" marks an htmx request) and print the summary as one JSON line.
local paths = {}
for item in string.gmatch(os.getenv("PATHS") or "/", "[^|]+") do
  table.insert(paths, item)
end
local counter = 0

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if string.sub(path, 1, 1) == "!" then
    return wrk.format("GET", string.sub(path, 2), { ["HX-Request"] = "true", ["Accept-Encoding"] = "gzip" })
  end
  return wrk.format("GET", path, { ["Accept-Encoding"] = "gzip" })
end

done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
