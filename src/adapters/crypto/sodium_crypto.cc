#include "adapters/crypto/sodium_crypto.h"

#include <errno.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "adapters/crypto/file_io.h"
#include "adapters/crypto/sodium_init.h"

namespace casedesk::adapters::crypto {
namespace {

static_assert(crypto_secretbox_KEYBYTES == kSecretKeyBytes);

std::string RandomBase64(size_t byte_count) {
  unsigned char bytes[64];
  randombytes_buf(bytes, byte_count);
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(byte_count, variant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, byte_count, variant);
  text.resize(sodium_base64_encoded_len(byte_count, variant) - 1);  // drop the terminating NUL
  sodium_memzero(bytes, sizeof bytes);
  return text;
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

unsigned char* MutableBytes(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());
}

// Holds one of the password hashing slots for the duration of a scope.
class SlotGuard {
 public:
  explicit SlotGuard(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  ~SlotGuard() { slots_.release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

std::ptrdiff_t PasswordHashingSlots() {
  return std::max<std::ptrdiff_t>(1, std::thread::hardware_concurrency());
}

}  // namespace

absl::StatusOr<std::unique_ptr<SodiumCrypto>> SodiumCrypto::Create(std::string secret_key) {
  if (absl::Status ready = EnsureSodiumInitialised(); !ready.ok()) return ready;
  if (secret_key.size() != kSecretKeyBytes) {
    const size_t length = secret_key.size();
    sodium_memzero(secret_key.data(), secret_key.size());
    return absl::InvalidArgumentError("the secret key must be 32 bytes, not " +
                                      std::to_string(length));
  }
  return std::unique_ptr<SodiumCrypto>(new SodiumCrypto(std::move(secret_key)));
}

SodiumCrypto::SodiumCrypto(std::string secret_key)
    : secret_key_(std::move(secret_key)),
      mac_key_(crypto_generichash_KEYBYTES, '\0'),
      password_hashing_slots_(PasswordHashingSlots()) {
  static_assert(crypto_generichash_KEYBYTES == crypto_kdf_KEYBYTES);
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(mac_key_.data()), mac_key_.size(), 1,
                             "mailsign",
                             reinterpret_cast<const unsigned char*>(secret_key_.data()));
}

SodiumCrypto::~SodiumCrypto() {
  sodium_memzero(secret_key_.data(), secret_key_.size());
  sodium_memzero(mac_key_.data(), mac_key_.size());
}

std::string SodiumCrypto::Mac(std::string_view message) const {
  std::string mac(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(mac.data()), mac.size(),
                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     reinterpret_cast<const unsigned char*>(mac_key_.data()), mac_key_.size());
  return mac;
}

std::string SodiumCrypto::HmacSha256(std::string_view key, std::string_view message) const {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

std::string SodiumCrypto::RandomToken() const { return "cd_" + RandomBase64(32); }

std::string SodiumCrypto::RandomId() const { return RandomBase64(16); }

std::string SodiumCrypto::RandomPin(int digits) const {
  std::string pin(static_cast<size_t>(std::max(digits, 1)), '0');
  for (char& digit : pin) digit = static_cast<char>('0' + randombytes_uniform(10));
  return pin;
}

std::string SodiumCrypto::Digest(std::string_view input) const {
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(MutableBytes(digest), Bytes(input), input.size());
  return digest;
}

bool SodiumCrypto::ConstantTimeEquals(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::StatusOr<std::string> SodiumCrypto::HashPassword(std::string_view password) const {
  if (password.size() > crypto_pwhash_PASSWD_MAX) {
    return absl::InvalidArgumentError("password is too long");
  }
  char hash[crypto_pwhash_STRBYTES];
  int result;
  {
    SlotGuard slot(password_hashing_slots_);
    result = crypto_pwhash_str_alg(
        hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
        crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
  }
  // The only documented failure is running out of memory for the 64 MiB work area.
  if (result != 0) return absl::ResourceExhaustedError("not enough memory to hash a password");
  return std::string(hash);
}

bool SodiumCrypto::VerifyPassword(std::string_view hash, std::string_view password) const {
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES - 1 characters.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (hash.find('\0') != std::string_view::npos) return false;
  const std::string terminated(hash);
  SlotGuard slot(password_hashing_slots_);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string SodiumCrypto::Seal(std::string_view plaintext) const {
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(),
                     '\0');
  unsigned char* nonce = MutableBytes(sealed);
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, Bytes(plaintext), plaintext.size(),
                        nonce, Bytes(secret_key_));
  return sealed;
}

absl::StatusOr<std::string> SodiumCrypto::Unseal(std::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return absl::InvalidArgumentError("sealed data is too short");
  }
  const unsigned char* nonce = Bytes(sealed);
  const unsigned char* ciphertext = nonce + crypto_secretbox_NONCEBYTES;
  const size_t ciphertext_size = sealed.size() - crypto_secretbox_NONCEBYTES;
  std::string plaintext(ciphertext_size - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(MutableBytes(plaintext), ciphertext, ciphertext_size, nonce,
                                 Bytes(secret_key_)) != 0) {
    return absl::DataLossError(
        "sealed data failed authentication (altered, or sealed under another key)");
  }
  return plaintext;
}

absl::StatusOr<std::string> LoadOrCreateKeyFile(const std::string& path) {
  if (absl::Status ready = EnsureSodiumInitialised(); !ready.ok()) return ready;
  for (int attempt = 0; attempt < 2; ++attempt) {
    absl::StatusOr<std::string> existing = ReadWholeFile(path);
    if (existing.ok()) {
      if (existing->size() != kSecretKeyBytes) {
        const size_t length = existing->size();
        sodium_memzero(existing->data(), existing->size());
        return absl::InvalidArgumentError("key file " + path + " holds " + std::to_string(length) +
                                          " bytes; a key is 32 bytes");
      }
      return existing;
    }
    if (!absl::IsNotFound(existing.status())) return existing.status();

    std::string key(kSecretKeyBytes, '\0');
    randombytes_buf(key.data(), key.size());
    const std::string temporary = path + ".tmp-" + RandomBase64(9);
    absl::Status written = WriteNewFileSynced(temporary, key, 0600);
    if (!written.ok()) {
      sodium_memzero(key.data(), key.size());
      return written;
    }
    // link(2) fails with EEXIST instead of replacing a key another process created meanwhile.
    const int linked = ::link(temporary.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(temporary.c_str());
    if (linked != 0) {
      sodium_memzero(key.data(), key.size());
      if (link_errno == EEXIST) continue;  // read the winner's key
      return ErrnoStatus(link_errno, "cannot create key file", path);
    }
    if (absl::Status synced = SyncDirectory(DirectoryOf(path)); !synced.ok()) {
      sodium_memzero(key.data(), key.size());
      return synced;
    }
    return key;
  }
  return absl::InternalError("key file " + path + " appeared and vanished while being created");
}

}  // namespace casedesk::adapters::crypto
