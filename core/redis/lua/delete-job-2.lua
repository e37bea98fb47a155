--[[
  Undo create-job: remove a job that could not be enqueued, so nothing queued-forever is left.

  Input:
    KEYS[1] job record hash
    KEYS[2] tenant history zset

    ARGV[1] job id

  Output:
    1  removed (or was already gone)
]]
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
