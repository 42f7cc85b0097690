#include "adapters/crypto/store_blob_store.h"

#include <optional>
#include <utility>
#include <vector>

#include "adapters/crypto/file_blob_store.h"

namespace casedesk::adapters::crypto {

absl::StatusOr<std::string> StoreBlobStore::Put(std::string_view content) {
  std::string digest = HexSha256(content);
  const absl::Status stored = store_.WriteAndWait(
      [&digest, content](ports::StoreTransaction& txn) { return txn.PutBlob(digest, content); });
  if (!stored.ok()) return stored;
  return digest;
}

absl::StatusOr<std::string> StoreBlobStore::Get(std::string_view digest) const {
  if (!IsHexDigest(digest)) {
    return absl::InvalidArgumentError("blob digest: expected 64 lower-case hex digits");
  }
  std::optional<std::string> content;
  const absl::Status read = store_.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> found = txn.GetBlob(digest);
    if (!found.ok()) return found.status();
    content = *std::move(found);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!content.has_value()) {
    if (legacy_files_ != nullptr) return legacy_files_->Get(digest);
    return absl::NotFoundError("no blob with this digest");
  }
  if (HexSha256(*content) != digest) {
    return absl::DataLossError("a stored blob no longer matches its digest");
  }
  return *std::move(content);
}

absl::StatusOr<int64_t> CopyFileBlobsIntoStore(const FileBlobStore& files, StoreBlobStore& blobs) {
  absl::StatusOr<std::vector<std::string>> digests = files.ListDigests();
  if (!digests.ok()) return digests.status();
  for (const std::string& digest : *digests) {
    absl::StatusOr<std::string> content = files.Get(digest);
    if (!content.ok()) return content.status();
    absl::StatusOr<std::string> stored = blobs.Put(*content);
    if (!stored.ok()) return stored.status();
  }
  return static_cast<int64_t>(digests->size());
}

}  // namespace casedesk::adapters::crypto
