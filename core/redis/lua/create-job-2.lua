--[[
  Store a new job record and add it to the tenant's history, in one step.

  Input:
    KEYS[1] job record hash      ccee:{t:<tenant>}:job:<id>
    KEYS[2] tenant history zset  ccee:{t:<tenant>}:jobs

    ARGV[1] job id
    ARGV[2] retention in seconds (record and history expiry)
    ARGV[3] oldest id still retained: history members below it are trimmed
    ARGV[4..] field, value pairs of the record

  Output:
     1  created
    -1  a job with this id already exists
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return -1
end
local fields = {}
for i = 4, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('ZREMRANGEBYLEX', KEYS[2], '-', '(' .. ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
