#include "adapters/sqlite/sqlite_write_turns.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace casedesk::adapters::sqlite {
namespace {

// flock, again after a signal interrupted it. Any other failure (ENOLCK) leaves the lock
// untaken: writes then race for SQLite's lock as they would without turns, which is slower,
// never wrong.
bool Flock(int descriptor, int operation) {
  while (::flock(descriptor, operation) != 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<SqliteWriteTurns> SqliteWriteTurns::Open(const std::string& database_path) {
  const std::string path = database_path + "-turn";
  const int descriptor = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (descriptor < 0) {
    return absl::UnavailableError("cannot open " + path + ": " + std::strerror(errno));
  }
  return SqliteWriteTurns(descriptor);
}

SqliteWriteTurns::SqliteWriteTurns(SqliteWriteTurns&& other) noexcept
    : descriptor_(other.descriptor_) {
  other.descriptor_ = -1;
}

SqliteWriteTurns::~SqliteWriteTurns() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

void SqliteWriteTurns::LetWaitingCommandsGoFirst(std::chrono::milliseconds longest) {
  const auto give_up_at = std::chrono::steady_clock::now() + longest;
  // Polled rather than blocking: a command stopped in the middle of its turn (^Z) holds up the
  // server no longer than it would by holding SQLite's lock.
  while (::flock(descriptor_, LOCK_SH | LOCK_NB) != 0) {
    if ((errno != EWOULDBLOCK && errno != EINTR) ||
        std::chrono::steady_clock::now() >= give_up_at) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  Flock(descriptor_, LOCK_UN);
}

SqliteWriteTurns::Turn::Turn(SqliteWriteTurns& turns)
    : descriptor_(Flock(turns.descriptor_, LOCK_EX) ? turns.descriptor_ : -1) {}

SqliteWriteTurns::Turn::~Turn() {
  if (descriptor_ >= 0) Flock(descriptor_, LOCK_UN);
}

}  // namespace casedesk::adapters::sqlite
