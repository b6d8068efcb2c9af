-- wrk script: one machine-readable line with throughput, latency percentiles and errors.
-- Paths given after `--` are requested one at random per request (a spread endpoint).
-- Without them, wrk sends one prepared request over and over, as before.
init = function(args)
    if #args > 0 then
        local paths = args
        request = function()
            return wrk.format(nil, paths[math.random(#paths)])
        end
    end
end

done = function(summary, latency, requests)
    -- errors: failed connections, reads and writes; timeouts: no answer within --timeout.
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    io.write(string.format(
        "RESULT requests=%d seconds=%.3f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d timeouts=%d non2xx=%d\n",
        summary.requests, summary.duration / 1e6,
        latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, errors, summary.errors.timeout, summary.errors.status))
end
