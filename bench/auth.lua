-- wrk script for bench/http-bench.sh: sends `Authorization: Bearer $QUANZE_BENCH_TOKEN`
-- with every request. No per-response callback, so wrk keeps its fast path.
-- usage: QUANZE_BENCH_TOKEN=... wrk -s bench/auth.lua http://127.0.0.1:PORT/api/v1/regions
local token = os.getenv("QUANZE_BENCH_TOKEN")
if token == nil or token == "" then
  io.stderr:write("auth.lua: set QUANZE_BENCH_TOKEN to a bearer token\n")
  os.exit(2)
end
wrk.headers["Authorization"] = "Bearer " .. token
