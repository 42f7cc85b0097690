#include "adapters/crypto/file_blob_store.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <utility>

#include "adapters/crypto/file_io.h"
#include "adapters/crypto/sodium_init.h"

namespace casedesk::adapters::crypto {
namespace {

constexpr time_t kStaleTemporarySeconds = 60 * 60;

absl::Status MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0750) == 0 || errno == EEXIST) return absl::OkStatus();
  return ErrnoStatus(errno, "cannot create directory", path);
}

// Removes files in `directory` whose last change is older than kStaleTemporarySeconds: the
// leftovers of Puts interrupted by a crash. Younger ones may belong to a live Put.
void RemoveStaleTemporaries(const std::string& directory) {
  DIR* listing = ::opendir(directory.c_str());
  if (listing == nullptr) return;
  const time_t now = ::time(nullptr);
  while (const dirent* entry = ::readdir(listing)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = directory + "/" + name;
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    if (now - info.st_mtime > kStaleTemporarySeconds) ::unlink(path.c_str());
  }
  ::closedir(listing);
}

}  // namespace

std::string HexSha256(std::string_view content) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(content.data()),
                     content.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

bool IsHexDigest(std::string_view digest) {
  if (digest.size() != crypto_hash_sha256_BYTES * 2) return false;
  for (char c : digest) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::StatusOr<std::unique_ptr<FileBlobStore>> FileBlobStore::Create(const std::string& root) {
  if (absl::Status ready = EnsureSodiumInitialised(); !ready.ok()) return ready;
  if (root.empty()) return absl::InvalidArgumentError("the blob store needs a directory");
  auto store = std::unique_ptr<FileBlobStore>(new FileBlobStore(root));
  if (absl::Status made = store->EnsureDurableDirectory(root); !made.ok()) return made;
  const std::string temporary_directory = root + "/tmp";
  if (absl::Status made = store->EnsureDurableDirectory(temporary_directory); !made.ok()) {
    return made;
  }
  RemoveStaleTemporaries(temporary_directory);
  return store;
}

FileBlobStore::FileBlobStore(std::string root) : root_(std::move(root)) {}

absl::StatusOr<std::vector<std::string>> FileBlobStore::ListDigests() const {
  std::vector<std::string> digests;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(root_, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    const std::string name = it->path().filename().string();
    // Only ROOT/ab/cd/abcd...: temporaries and strays are not blobs.
    if (IsHexDigest(name) && it->path() == std::filesystem::path(PathFor(name))) {
      digests.push_back(name);
    }
  }
  if (error) return ErrnoStatus(error.value(), "cannot list the blob files in", root_);
  return digests;
}

std::string FileBlobStore::PathFor(std::string_view digest) const {
  std::string path = root_;
  path += '/';
  path += digest.substr(0, 2);
  path += '/';
  path += digest.substr(2, 2);
  path += '/';
  path += digest;
  return path;
}

absl::Status FileBlobStore::EnsureDurableDirectory(const std::string& path) {
  std::lock_guard<std::mutex> lock(directories_mutex_);
  if (durable_directories_.count(path) > 0) return absl::OkStatus();
  if (absl::Status made = MakeDirectory(path); !made.ok()) return made;
  // Whether this process or an earlier one created it, the name is durable only once the
  // parent directory has been fsynced; done once per directory per process.
  if (absl::Status synced = SyncDirectory(DirectoryOf(path)); !synced.ok()) return synced;
  durable_directories_.insert(path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> FileBlobStore::Put(std::string_view content) {
  const std::string digest = HexSha256(content);
  const std::string final_path = PathFor(digest);
  const std::string outer = root_ + "/" + digest.substr(0, 2);
  const std::string inner = outer + "/" + digest.substr(2, 2);
  if (absl::Status made = EnsureDurableDirectory(outer); !made.ok()) return made;
  if (absl::Status made = EnsureDurableDirectory(inner); !made.ok()) return made;

  // Already stored: the name was only ever created by an atomic rename of a complete, fsynced
  // file, and the directory was fsynced before that Put returned (or EnsureDurableDirectory and
  // the check below make it so now).
  struct stat info {};
  if (::stat(final_path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
      static_cast<size_t>(info.st_size) == content.size()) {
    if (absl::Status synced = SyncDirectory(inner); !synced.ok()) return synced;
    return digest;
  }

  unsigned char nonce[8];
  randombytes_buf(nonce, sizeof nonce);
  char nonce_hex[sizeof nonce * 2 + 1];
  sodium_bin2hex(nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
  const std::string temporary = root_ + "/tmp/" + digest + "." + nonce_hex;
  if (absl::Status written = WriteNewFileSynced(temporary, content, 0640); !written.ok()) {
    return written;
  }
  if (::rename(temporary.c_str(), final_path.c_str()) != 0) {
    const int rename_errno = errno;
    ::unlink(temporary.c_str());
    return ErrnoStatus(rename_errno, "cannot move blob into place at", final_path);
  }
  if (absl::Status synced = SyncDirectory(inner); !synced.ok()) return synced;
  return digest;
}

absl::StatusOr<std::string> FileBlobStore::Get(std::string_view digest) const {
  if (!IsHexDigest(digest)) {
    return absl::InvalidArgumentError("a blob key is 64 lower-case hex digits");
  }
  absl::StatusOr<std::string> content = ReadWholeFile(PathFor(digest));
  if (!content.ok()) {
    if (absl::IsNotFound(content.status())) {
      return absl::NotFoundError("no blob " + std::string(digest));
    }
    return content.status();
  }
  if (HexSha256(*content) != digest) {
    return absl::DataLossError("blob " + std::string(digest) + " does not match its digest");
  }
  return content;
}

}  // namespace casedesk::adapters::crypto
