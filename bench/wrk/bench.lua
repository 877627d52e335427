-- wrk script for bench/run.sh: one figures line at the end, and, for POST scenarios, bodies
-- read from a file (one JSON document per line).
--
-- Environment:
--   BENCH_BODIES   file of request bodies; unset: wrk's own request (GET of the URL path)
--   BENCH_MODE     "once": each body is sent at most once (the lines are split between the
--                  threads; a thread that has sent its share stops), "cycle": repeat forever
--   BENCH_THREADS  the -t value (each thread takes every BENCH_THREADS-th line)
--
-- The last line printed is
--   BENCH requests=N duration_us=N rps=X p50_us=N p90_us=N p99_us=N max_us=N
--         status_errors=N socket_errors=N timeouts=N sent=N exhausted=N

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]]
local function now_us()
  local t = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) * 1000000 + tonumber(t.tv_nsec) / 1000
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter - 1)
  table.insert(threads, thread)
end

local requests = nil
local index = 0
local once = false
sent = 0
exhausted = 0
started_us = 0
stopped_us = 0

function init(args)
  started_us = now_us()
  local path = os.getenv("BENCH_BODIES")
  if path == nil or path == "" then return end
  once = os.getenv("BENCH_MODE") == "once"
  local total = tonumber(os.getenv("BENCH_THREADS") or "1")
  local headers = { ["Content-Type"] = "application/json" }
  requests = {}
  local line_number = 0
  for line in io.lines(path) do
    if line ~= "" then
      if line_number % total == tid then
        table.insert(requests, wrk.format("POST", wrk.path, headers, line))
      end
      line_number = line_number + 1
    end
  end
  if #requests == 0 then
    io.stderr:write("bench.lua: no bodies for thread " .. tid .. " in " .. path .. "\n")
    os.exit(2)
  end
  health_request = wrk.format("GET", "/health")
end

local function next_request()
  index = index + 1
  if index > #requests then
    if once then
      -- Every body of this thread's share has gone out: stop rather than send one twice
      -- (a connection that still asks gets a harmless GET /health).
      if exhausted == 0 then stopped_us = now_us() end
      exhausted = 1
      wrk.thread:stop()
      return health_request
    end
    index = 1
  end
  sent = sent + 1
  return requests[index]
end

-- wrk decides from the script as loaded whether requests are dynamic, so `request` exists
-- only when there are bodies; GET scenarios keep wrk's fast static request.
local bodies = os.getenv("BENCH_BODIES")
if bodies ~= nil and bodies ~= "" then request = next_request end

function done(summary, latency, requests_stats)
  local total_sent, total_exhausted = 0, 0
  local first_start, last_stop = nil, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + (thread:get("sent") or 0)
    total_exhausted = total_exhausted + (thread:get("exhausted") or 0)
    local started = thread:get("started_us") or 0
    if first_start == nil or started < first_start then first_start = started end
    last_stop = math.max(last_stop, thread:get("stopped_us") or 0)
  end
  local errors = summary.errors
  -- wrk measures until -d ends even when every thread stopped early; then the run really
  -- lasted from the first thread's start to the last thread's stop.
  local duration = summary.duration
  if total_exhausted == #threads and first_start ~= nil and last_stop > first_start then
    duration = last_stop - first_start
  end
  local seconds = duration / 1e6
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d socket_errors=%d timeouts=%d sent=%d exhausted=%d\n",
    summary.requests, duration, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.status, errors.connect + errors.read + errors.write, errors.timeout,
    total_sent, total_exhausted))
end
