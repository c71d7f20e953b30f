-- events_bench.lua: wrk script that POSTs distinct gzip iCIMS events with
-- Basic auth to /icims/events, one body after another, never repeating
-- within a run, so redelivery dedupe does not short-circuit the intake.
--
-- Prepare (bodies, credentials, a tenant with an auto rule):
--   JOBCANNON_BENCH_DIR=/tmp/jcbench go test -count=1 -run TestEventsBenchSetup ./cmd/jobcannon/
-- Durable intake:
--   jobcannon serve --data-dir /tmp/jcbench --addr 127.0.0.1:8180 --sandbox --log-level warn
--   BENCH_DIR=/tmp/jcbench BENCH_THREADS=2 wrk -t2 -c32 -d10s --latency -s cmd/jobcannon/testdata/events_bench.lua http://127.0.0.1:8180
-- Bare handler (parsing only):
--   go test -c -o /tmp/jcbench.test ./cmd/jobcannon/ &&
--   JOBCANNON_BENCH_BARE_ADDR=127.0.0.1:8181 /tmp/jcbench.test -test.run TestEventsBenchBare -test.timeout 0
--   BENCH_DIR=/tmp/jcbench BENCH_THREADS=2 wrk -t2 -c32 -d10s --latency -s cmd/jobcannon/testdata/events_bench.lua http://127.0.0.1:8181
-- At a set rate: BENCH_DELAY_MS makes each connection wait that long
-- between requests (32 connections and 15 ms give about 2,000 events/s).

local dir = os.getenv("BENCH_DIR") or "/tmp/jcbench"
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  local f = assert(io.open(dir .. "/auth.txt", "r"))
  local auth = f:read("*l")
  f:close()
  f = assert(io.open(dir .. "/bodies.bin", "rb"))
  local blob = f:read("*a")
  f:close()
  bodies = {}
  local line = 0
  for l in io.lines(dir .. "/bodies.idx") do
    if line % threads == id then
      local off, len = l:match("(%d+) (%d+)")
      off, len = tonumber(off), tonumber(len)
      bodies[#bodies + 1] = blob:sub(off + 1, off + len)
    end
    line = line + 1
  end
  n = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Content-Encoding"] = "gzip"
  wrk.headers["Authorization"] = auth
end

function request()
  n = n + 1
  if n > #bodies then
    n = 1 -- out of bodies: repeats from here on are redeliveries
  end
  return wrk.format(nil, "/icims/events", nil, bodies[n])
end

function delay()
  return pause
end
