// ports::BlobStore on the local file system: each blob is a file named by the hex SHA-256 of its
// content under ROOT/ab/cd/<64 hex digits> (the first two byte pairs fan the files out over
// 65,536 directories). Put writes to ROOT/tmp, fsyncs the file, renames it into place and
// fsyncs the directory, so a blob is durable before any database row points at it. Get checks
// the key's shape (no path tricks) and the content against its digest.
// Lives beside the crypto adapter because it hashes with libsodium.
// Thread-safe: concurrent Puts of the same content write separate temporary files and the
// renames are atomic; directory creation is serialised by a mutex.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ports/blob_store.h"

namespace casedesk::adapters::crypto {

class FileBlobStore final : public ports::BlobStore {
 public:
  // Creates ROOT and ROOT/tmp when missing (ROOT's parent must exist) and removes temporary
  // files left in ROOT/tmp by a crash more than an hour ago.
  static absl::StatusOr<std::unique_ptr<FileBlobStore>> Create(const std::string& root);

  // Stores the bytes and returns their lower-case hex SHA-256. Same content again: no write.
  absl::StatusOr<std::string> Put(std::string_view content) override;
  // InvalidArgument unless `digest` is 64 lower-case hex digits; NotFound when no such blob;
  // DataLoss when the file's content no longer matches its digest.
  absl::StatusOr<std::string> Get(std::string_view digest) const override;

  // The file a digest is stored in (whether or not it exists).
  std::string PathFor(std::string_view digest) const;

  // The digests of every blob stored, in no particular order (files whose name and place are
  // not a blob's are passed over).
  absl::StatusOr<std::vector<std::string>> ListDigests() const;

 private:
  explicit FileBlobStore(std::string root);

  // Creates the directory if needed and makes its name durable in its parent, once per process.
  absl::Status EnsureDurableDirectory(const std::string& path);

  const std::string root_;
  std::mutex directories_mutex_;
  std::set<std::string> durable_directories_;  // guarded by directories_mutex_
};

// A blob's key: the lower-case hex SHA-256 of its content.
std::string HexSha256(std::string_view content);
// True when `digest` is exactly 64 characters of 0-9 and a-f.
bool IsHexDigest(std::string_view digest);

}  // namespace casedesk::adapters::crypto
