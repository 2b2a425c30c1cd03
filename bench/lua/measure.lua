-- wrk script for the benchmark suite (bench/load_wrk.py runs it).
-- Arguments after `--`: METHOD MAX_REQUESTS [BODY_PREFIX]
--   METHOD        GET, or POST to send "<BODY_PREFIX><thread>-<counter>" as a form body, so
--                 that every request carries a unique item text
--   MAX_REQUESTS  each thread stops after this many responses (0: no cap), so a run is bounded
--                 in requests as well as in time
-- At the end it prints one line, "BENCH_RESULT {json}": counts, latency percentiles in
-- microseconds, socket errors and the count of each HTTP status.

local threads = {}
local next_thread_id = 0

function setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("thread_id", next_thread_id)
  table.insert(threads, thread)
end

local method = "GET"
local max_requests = 0
local body_prefix = ""
local fixed_request = nil
local counter = 0
local responses = 0
statuses = {}  -- global: done() reads it from each thread with thread:get

function init(args)
  method = args[1] or "GET"
  max_requests = tonumber(args[2]) or 0
  body_prefix = args[3] or ""
  if method == "POST" then
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  else
    fixed_request = wrk.format(method)
  end
end

function request()
  if fixed_request then
    return fixed_request
  end
  counter = counter + 1
  return wrk.format("POST", nil, nil, body_prefix .. thread_id .. "-" .. counter)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  responses = responses + 1
  if max_requests > 0 and responses >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local status_fields = {}
  for status, count in pairs(totals) do
    table.insert(status_fields, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout,
    table.concat(status_fields, ", ")))
end
