-- wrk script: realistic Telegram text updates with unique update_ids across
-- many private chats, sent with the webhook secret. Optional throttle:
-- WRK_DELAY_MS per connection between requests (for a fixed rate).
--
-- The requests are formatted once, in init(): formatting one per request
-- in Lua costs wrk more CPU than the service spends acknowledging it, and
-- wrk shares the service's two cores. WRK_POOL (default 300000) is how many
-- distinct updates each thread prepares; a run that sends more starts over
-- and Telegram-style re-deliveries follow (acknowledged, not processed twice).
-- WRK_UPDATE_BASE offsets the update ids, so that successive runs against
-- the same service send new updates rather than re-deliveries.
local thread_id = 0
local threads = {}
local pool = {}
local next_request = 0
local questions = {
  "How do I assess the skills of a refugee with no diploma?",
  "Tu as un cas concret sur la coordination avec l'école de langue ?",
  "come funziona il sistema SAI?",
  "Har ni något praktikfall om samverkan?",
  "thanks, that helped",
}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tonumber(wrk.thread:get("tid")) or 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Telegram-Bot-Api-Secret-Token"] = os.getenv("PROFINT_TELEGRAM_SECRET") or "bench-secret",
  }
  local size = tonumber(os.getenv("WRK_POOL") or "300000")
  for counter = 1, size do
    local update = tonumber(os.getenv("WRK_UPDATE_BASE") or "0") + thread_id * 100000000 + counter
    local chat = 1000000 + (update % 50000)
    local text = questions[(counter % #questions) + 1]
    local body = string.format(
      '{"update_id":%d,"message":{"message_id":%d,"date":1800000000,"from":{"id":%d,"is_bot":false,"first_name":"Ana"},"chat":{"id":%d,"type":"private"},"text":"%s"}}',
      update, counter, chat, chat, text)
    pool[counter] = wrk.format("POST", "/telegram/webhook", headers, body)
  end
end

-- Only defined when a delay is asked for: wrk schedules every request
-- through a timer when the script has a delay function.
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function request()
  next_request = (next_request % #pool) + 1
  return pool[next_request]
end
