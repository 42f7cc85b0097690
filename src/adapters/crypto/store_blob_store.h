// ports::BlobStore in the desk's own store (the `blobs` table): every node of a desk serves
// every attachment, and a blob is durable (committed) before Put returns, so before any row
// points at it. Blobs that earlier versions wrote as files are read from `legacy_files` when
// the store does not have them. Lives beside the crypto adapter because it hashes with
// libsodium.
// Thread-safe: the store is; Put and Get keep no state.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ports/blob_store.h"
#include "ports/store.h"

namespace casedesk::adapters::crypto {

class StoreBlobStore final : public ports::BlobStore {
 public:
  // `store` and `legacy_files` (may be null) must outlive this.
  StoreBlobStore(ports::Store& store, const ports::BlobStore* legacy_files)
      : store_(store), legacy_files_(legacy_files) {}

  // Stores the bytes in a unit of work of its own and returns their lower-case hex SHA-256
  // once it is committed. The same content again stores nothing new.
  absl::StatusOr<std::string> Put(std::string_view content) override;
  // InvalidArgument unless `digest` is 64 lower-case hex digits; NotFound when neither the
  // store nor the legacy files have it; DataLoss when the content no longer matches.
  absl::StatusOr<std::string> Get(std::string_view digest) const override;

 private:
  ports::Store& store_;
  const ports::BlobStore* const legacy_files_;
};

class FileBlobStore;

// Copies every blob of `files` (the attachment files of a desk from before blobs lived in the
// store) into `blobs`; returns how many. The files stay. Idempotent: a blob already stored is
// stored again at no cost. Each blob is read and its digest checked before it is copied.
absl::StatusOr<int64_t> CopyFileBlobsIntoStore(const FileBlobStore& files, StoreBlobStore& blobs);

}  // namespace casedesk::adapters::crypto
