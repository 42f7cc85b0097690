// SqliteWriteTurns: fair turns at SQLite's write lock between a busy server and a one-shot
// command (`casedesk token create`, or `mail ingest` from an MTA) on the same database file.
//
// A server under load runs its write batches back to back, so the lock is free only for the
// moment between a COMMIT and the next BEGIN IMMEDIATE; another process's busy handler sleeps
// and retries, rarely lands in that moment, and gives up after its busy timeout ("database is
// locked"). So a command asks for a turn: it holds an exclusive flock(2) on a file beside the
// database (DATABASE-turn) around its write transaction, and a server, before each batch,
// checks that lock without blocking; while a command holds it, the server waits for it. The
// check is two system calls per batch when no command is waiting.
//
// Thread-safety: one object per store, used by its writer thread only.
#pragma once

#include <chrono>
#include <string>

#include "absl/status/statusor.h"

namespace casedesk::adapters::sqlite {

class SqliteWriteTurns {
 public:
  // Opens (creating if needed) the turn file of the database at `database_path`.
  static absl::StatusOr<SqliteWriteTurns> Open(const std::string& database_path);
  SqliteWriteTurns(SqliteWriteTurns&& other) noexcept;
  SqliteWriteTurns& operator=(SqliteWriteTurns&&) = delete;
  SqliteWriteTurns(const SqliteWriteTurns&) = delete;
  ~SqliteWriteTurns();

  // A server's writer, before each batch: returns at once unless a command holds its turn,
  // else when that turn ends, or after `longest` (the server's busy timeout) at the latest.
  void LetWaitingCommandsGoFirst(std::chrono::milliseconds longest);

  // A command's writer: its turn, from construction (which waits for a turn another command
  // holds) until destruction (after COMMIT or ROLLBACK).
  class Turn {
   public:
    explicit Turn(SqliteWriteTurns& turns);
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn();

   private:
    int descriptor_;  // -1: no turn was taken
  };

 private:
  explicit SqliteWriteTurns(int descriptor) : descriptor_(descriptor) {}
  int descriptor_;
};

}  // namespace casedesk::adapters::sqlite
