--[[
  Move a job to a new status if it is in one of the allowed current statuses, and set fields.
  Guards the status model: a late or repeated worker cannot overwrite a terminal job.

  Input:
    KEYS[1] job record hash

    ARGV[1] allowed current statuses, comma separated (e.g. "queued,running")
    ARGV[2] new status
    ARGV[3..] field, value pairs to set along with the status

  Output:
     1  moved
    -2  no such job (missing or expired)
    -3  job is in a status the move does not start from
]]
local current = redis.call('HGET', KEYS[1], 'status')
if not current then
  return -2
end
local allowed = false
for status in string.gmatch(ARGV[1], '[^,]+') do
  if status == current then
    allowed = true
  end
end
if not allowed then
  return -3
end
local fields = { 'status', ARGV[2] }
for i = 3, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
return 1
