#include "adapters/crypto/sodium_crypto.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::crypto {
namespace {

std::unique_ptr<SodiumCrypto> MakeCrypto(char fill = 'k') {
  auto crypto = SodiumCrypto::Create(std::string(kSecretKeyBytes, fill));
  EXPECT_TRUE(crypto.ok()) << crypto.status();
  return std::move(crypto).value();
}

bool IsUrlSafe(const std::string& text) {
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string ToHex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    char pattern[] = "/tmp/sodium_crypto_test.XXXXXX";
    path_ = ::mkdtemp(pattern);
  }
  ~TemporaryDirectory() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(SodiumCryptoTest, CreateRejectsKeysOfTheWrongLength) {
  const size_t lengths[] = {0, 16, 31, 33, 64};
  for (size_t length : lengths) {
    auto crypto = SodiumCrypto::Create(std::string(length, 'k'));
    EXPECT_TRUE(absl::IsInvalidArgument(crypto.status())) << length;
  }
}

TEST(SodiumCryptoTest, TokensArePrefixedUrlSafeAndDistinct) {
  auto crypto = MakeCrypto();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = crypto->RandomToken();
    ASSERT_EQ(token.size(), 46u) << token;  // "cd_" + 43 characters for 32 bytes
    EXPECT_EQ(token.substr(0, 3), "cd_");
    EXPECT_TRUE(IsUrlSafe(token.substr(3))) << token;
    EXPECT_TRUE(seen.insert(token).second) << "repeated token " << token;
  }
}

TEST(SodiumCryptoTest, IdsAreUrlSafeAndDistinct) {
  auto crypto = MakeCrypto();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = crypto->RandomId();
    ASSERT_EQ(id.size(), 22u) << id;  // 16 bytes
    EXPECT_TRUE(IsUrlSafe(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << "repeated id " << id;
  }
}

TEST(SodiumCryptoTest, PinsHaveTheRequestedDigitsAndUseAllOfThem) {
  auto crypto = MakeCrypto();
  const struct {
    int digits;
    size_t expected_length;
  } kCases[] = {{1, 1}, {4, 4}, {6, 6}, {12, 12}, {0, 1}, {-3, 1}};
  for (const auto& test : kCases) {
    const std::string pin = crypto->RandomPin(test.digits);
    EXPECT_EQ(pin.size(), test.expected_length) << test.digits;
    EXPECT_EQ(pin.find_first_not_of("0123456789"), std::string::npos) << pin;
  }
  // 10,000 digits: every digit appears, none wildly more often than 1 in 10.
  int counts[10] = {};
  const std::string many = crypto->RandomPin(10000);
  for (char c : many) ++counts[c - '0'];
  for (int digit = 0; digit < 10; ++digit) {
    EXPECT_GT(counts[digit], 800) << digit;
    EXPECT_LT(counts[digit], 1200) << digit;
  }
}

TEST(SodiumCryptoTest, DigestIsSha256) {
  auto crypto = MakeCrypto();
  const struct {
    std::string input;
    std::string hex;
  } kCases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (const auto& test : kCases) {
    const std::string digest = crypto->Digest(test.input);
    EXPECT_EQ(digest.size(), 32u);
    EXPECT_EQ(ToHex(digest), test.hex) << test.input;
  }
}

TEST(SodiumCryptoTest, ConstantTimeEqualsTable) {
  auto crypto = MakeCrypto();
  const struct {
    std::string a;
    std::string b;
    bool equal;
  } kCases[] = {
      {"", "", true},
      {"abc", "abc", true},
      {"abc", "abd", false},
      {"abc", "ab", false},
      {"", "a", false},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},
      {std::string("a\0b", 3), std::string("a\0b", 3), true},
  };
  for (const auto& test : kCases) {
    EXPECT_EQ(crypto->ConstantTimeEquals(test.a, test.b), test.equal) << test.a << "|" << test.b;
  }
}

TEST(SodiumCryptoTest, PasswordsHashWithArgon2idAndVerify) {
  auto crypto = MakeCrypto();
  auto hash = crypto->HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_NE(hash->find("m=65536,t=2"), std::string::npos) << *hash;  // INTERACTIVE limits
  EXPECT_TRUE(crypto->VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(crypto->VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(crypto->VerifyPassword(*hash, ""));

  // Salted: the same password hashes differently each time, and both verify.
  auto again = crypto->HashPassword("correct horse battery staple");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);
  EXPECT_TRUE(crypto->VerifyPassword(*again, "correct horse battery staple"));
}

TEST(SodiumCryptoTest, VerifyPasswordRejectsMalformedHashes) {
  auto crypto = MakeCrypto();
  const std::string kHashes[] = {
      "", "plain", "$argon2id$", std::string(200, 'a'), std::string("$argon2id$v=19\0", 15),
  };
  for (const std::string& hash : kHashes) {
    EXPECT_FALSE(crypto->VerifyPassword(hash, "anything")) << hash;
  }
}

TEST(SodiumCryptoTest, MacIsDeterministicKeyedAndInputSensitive) {
  auto crypto = MakeCrypto();
  const std::string mac = crypto->Mac("case 123");
  EXPECT_EQ(mac.size(), 32u);
  EXPECT_EQ(crypto->Mac("case 123"), mac);
  EXPECT_NE(crypto->Mac("case 124"), mac);
  EXPECT_NE(MakeCrypto('j')->Mac("case 123"), mac);  // another desk's key
  EXPECT_NE(mac, crypto->Digest("case 123"));        // not an unkeyed hash
}

TEST(SodiumCryptoTest, SealRoundTripsAndUsesAFreshNonce) {
  auto crypto = MakeCrypto();
  const std::string kPlaintexts[] = {"", "root password: hunter2", std::string(100000, 'x'),
                                     std::string("\0\1\2", 3)};
  for (const std::string& plaintext : kPlaintexts) {
    const std::string sealed = crypto->Seal(plaintext);
    EXPECT_EQ(sealed.size(), 24 + 16 + plaintext.size());
    if (!plaintext.empty()) {
      EXPECT_EQ(sealed.find(plaintext), std::string::npos);
    }
    auto opened = crypto->Unseal(sealed);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, plaintext);
    EXPECT_NE(crypto->Seal(plaintext), sealed);  // a fresh nonce each time
  }
}

TEST(SodiumCryptoTest, UnsealRejectsEveryAlteredByteShortDataAndOtherKeys) {
  auto crypto = MakeCrypto('k');
  const std::string sealed = crypto->Seal("secret");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    EXPECT_TRUE(absl::IsDataLoss(crypto->Unseal(altered).status())) << "byte " << i;
  }
  EXPECT_TRUE(absl::IsDataLoss(crypto->Unseal(sealed.substr(0, sealed.size() - 1)).status()));
  EXPECT_TRUE(absl::IsDataLoss(crypto->Unseal(sealed + "x").status()));
  for (size_t length : {0, 1, 24, 39}) {
    EXPECT_TRUE(absl::IsInvalidArgument(crypto->Unseal(sealed.substr(0, length)).status()))
        << length;
  }
  auto other = MakeCrypto('o');
  EXPECT_TRUE(absl::IsDataLoss(other->Unseal(sealed).status()));
}

TEST(SodiumCryptoTest, ConcurrentUseFromManyThreads) {
  auto crypto = MakeCrypto();
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string plaintext = crypto->RandomToken();
        auto opened = crypto->Unseal(crypto->Seal(plaintext));
        if (!opened.ok() || *opened != plaintext) ++failures[t];
      }
      if (t < 3) {
        auto hash = crypto->HashPassword("pw");
        if (!hash.ok() || !crypto->VerifyPassword(*hash, "pw")) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(failures[t], 0) << t;
}

TEST(LoadOrCreateKeyFileTest, CreatesA0600KeyOnceAndReadsItBack) {
  TemporaryDirectory directory;
  const std::string path = directory.path() + "/secret.key";
  auto created = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->size(), kSecretKeyBytes);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);

  auto loaded = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*loaded, *created);

  // No temporary files are left beside it.
  EXPECT_EQ(std::system(("test $(ls -A '" + directory.path() + "' | wc -l) -eq 1").c_str()), 0);

  // The key works for sealing across "restarts".
  auto first = SodiumCrypto::Create(*created);
  auto second = SodiumCrypto::Create(*loaded);
  ASSERT_TRUE(first.ok() && second.ok());
  auto opened = (*second)->Unseal((*first)->Seal("kept across restarts"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "kept across restarts");
}

TEST(LoadOrCreateKeyFileTest, ConcurrentCreatorsAgreeOnOneKey) {
  TemporaryDirectory directory;
  const std::string path = directory.path() + "/secret.key";
  std::vector<std::string> keys(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] {
      auto key = LoadOrCreateKeyFile(path);
      if (key.ok()) keys[i] = *key;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& key : keys) {
    EXPECT_EQ(key.size(), kSecretKeyBytes);
    EXPECT_EQ(key, keys[0]);
  }
}

TEST(LoadOrCreateKeyFileTest, RejectsAFileOfTheWrongLength) {
  TemporaryDirectory directory;
  const std::string path = directory.path() + "/secret.key";
  std::ofstream(path) << "too short";
  auto key = LoadOrCreateKeyFile(path);
  EXPECT_TRUE(absl::IsInvalidArgument(key.status())) << key.status();
  EXPECT_NE(key.status().message().find("9 bytes"), absl::string_view::npos);
}

TEST(LoadOrCreateKeyFileTest, MissingDirectoryIsNotFound) {
  TemporaryDirectory directory;
  auto key = LoadOrCreateKeyFile(directory.path() + "/absent/secret.key");
  EXPECT_TRUE(absl::IsNotFound(key.status())) << key.status();
}

TEST(SodiumCryptoTest, HmacSha256MatchesRfc4231TestCase2) {
  auto crypto = MakeCrypto('k');
  EXPECT_EQ(absl::BytesToHexString(crypto->HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace casedesk::adapters::crypto
