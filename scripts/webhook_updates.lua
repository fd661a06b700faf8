-- wrk script: realistic Telegram text updates with unique update_ids across
-- many private chats, sent with the webhook secret. Optional throttle:
-- WRK_DELAY_MS per connection between requests (for a fixed rate).
local counter = 0
local thread_id = 0
local threads = {}
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
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = os.getenv("PROFINT_TELEGRAM_SECRET") or "bench-secret"
end

function delay()
  return tonumber(os.getenv("WRK_DELAY_MS") or "0")
end

function request()
  counter = counter + 1
  local update = thread_id * 100000000 + counter
  local chat = 1000000 + (update % 50000)
  local text = questions[(counter % #questions) + 1]
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"date":1800000000,"from":{"id":%d,"is_bot":false,"first_name":"Ana"},"chat":{"id":%d,"type":"private"},"text":"%s"}}',
    update, counter, chat, chat, text)
  return wrk.format(nil, "/telegram/webhook", nil, body)
end
