// Small POSIX file helpers for the adapters that must not lose what they write (blob store, key
// file): read a whole file, write a new file and fsync it, fsync a directory so that a name
// created or renamed in it survives power loss. Errors are absl::Status values naming the path
// and the errno text. Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace casedesk::adapters::crypto {

// The file's bytes; NotFound when it does not exist.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

// Creates `path` (which must not exist: O_EXCL) with `mode`, writes `content`, fsyncs and closes
// it. On failure the partial file is removed.
absl::Status WriteNewFileSynced(const std::string& path, std::string_view content, int mode);

// fsync of a directory, making the names created, renamed or removed in it durable.
absl::Status SyncDirectory(const std::string& path);

// The directory part of a path ("." when it has none).
std::string DirectoryOf(const std::string& path);

// Status for a failed system call: `what` and `path` with strerror(errno_value); ENOENT maps to
// NotFound, EACCES/EPERM to PermissionDenied, ENOSPC/EDQUOT to ResourceExhausted.
absl::Status ErrnoStatus(int errno_value, std::string_view what, const std::string& path);

}  // namespace casedesk::adapters::crypto
