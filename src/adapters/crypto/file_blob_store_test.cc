#include "adapters/crypto/file_blob_store.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace casedesk::adapters::crypto {
namespace {

constexpr char kAbcDigest[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kEmptyDigest[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

class FileBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/file_blob_store_test.XXXXXX";
    directory_ = ::mkdtemp(pattern);
    root_ = directory_ + "/blobs";
    auto store = FileBlobStore::Create(root_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(store).value();
  }
  void TearDown() override { std::system(("rm -rf '" + directory_ + "'").c_str()); }

  int CountFiles(const std::string& under) {
    const std::string command = "find '" + under + "' -type f | wc -l";
    FILE* pipe = ::popen(command.c_str(), "r");
    int count = -1;
    if (pipe != nullptr) {
      if (std::fscanf(pipe, "%d", &count) != 1) count = -1;
      ::pclose(pipe);
    }
    return count;
  }

  std::string directory_;
  std::string root_;
  std::unique_ptr<FileBlobStore> store_;
};

TEST_F(FileBlobStoreTest, PutReturnsTheHexSha256AndStoresUnderTheFanOutPath) {
  const struct {
    std::string content;
    std::string digest;
  } kCases[] = {{"abc", kAbcDigest}, {"", kEmptyDigest}};
  for (const auto& test : kCases) {
    auto digest = store_->Put(test.content);
    ASSERT_TRUE(digest.ok()) << digest.status();
    EXPECT_EQ(*digest, test.digest);
    const std::string expected_path =
        root_ + "/" + test.digest.substr(0, 2) + "/" + test.digest.substr(2, 2) + "/" + test.digest;
    EXPECT_EQ(store_->PathFor(*digest), expected_path);
    struct stat info {};
    ASSERT_EQ(::stat(expected_path.c_str(), &info), 0) << expected_path;
    EXPECT_EQ(static_cast<size_t>(info.st_size), test.content.size());
    auto content = store_->Get(*digest);
    ASSERT_TRUE(content.ok()) << content.status();
    EXPECT_EQ(*content, test.content);
  }
  EXPECT_EQ(CountFiles(root_ + "/tmp"), 0);
}

TEST_F(FileBlobStoreTest, BinaryAndLargeContentRoundTrips) {
  std::string content;
  for (int i = 0; i < 3 * 1024 * 1024; ++i) content.push_back(static_cast<char>(i * 7 % 256));
  auto digest = store_->Put(content);
  ASSERT_TRUE(digest.ok()) << digest.status();
  auto read = store_->Get(*digest);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, content);
}

TEST_F(FileBlobStoreTest, SameContentTwiceKeepsOneFileAndDoesNotRewriteIt) {
  auto first = store_->Put("same bytes");
  ASSERT_TRUE(first.ok());
  struct stat before {};
  ASSERT_EQ(::stat(store_->PathFor(*first).c_str(), &before), 0);
  auto second = store_->Put("same bytes");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  struct stat after {};
  ASSERT_EQ(::stat(store_->PathFor(*first).c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // not replaced by a rename
  EXPECT_EQ(CountFiles(root_), 1);
}

TEST_F(FileBlobStoreTest, GetRejectsKeysThatAreNotLowerCaseHexDigests) {
  const std::string kBadKeys[] = {
      "",
      "abc",
      std::string(kAbcDigest).substr(0, 63),
      std::string(kAbcDigest) + "0",
      "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
      "../../../../../../../../../../../../../../../../../../etc/passwd",
      "ba/816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a\n",
      std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a\0", 64),
      "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  };
  ASSERT_TRUE(store_->Put("abc").ok());
  for (const std::string& key : kBadKeys) {
    EXPECT_TRUE(absl::IsInvalidArgument(store_->Get(key).status())) << key;
  }
}

TEST_F(FileBlobStoreTest, MissingBlobIsNotFound) {
  auto content = store_->Get(kAbcDigest);
  EXPECT_TRUE(absl::IsNotFound(content.status())) << content.status();
}

TEST_F(FileBlobStoreTest, CorruptedBlobIsDataLoss) {
  auto digest = store_->Put("abc");
  ASSERT_TRUE(digest.ok());
  const std::string path = store_->PathFor(*digest);
  ::chmod(path.c_str(), 0600);
  std::ofstream(path, std::ios::trunc) << "abd";
  EXPECT_TRUE(absl::IsDataLoss(store_->Get(*digest).status()));
  // Putting the real content again repairs it (the size matches, so it is checked by content
  // only when read; a changed size is rewritten at once).
  std::ofstream(path, std::ios::trunc) << "ab";
  ASSERT_TRUE(store_->Put("abc").ok());
  auto repaired = store_->Get(*digest);
  ASSERT_TRUE(repaired.ok()) << repaired.status();
  EXPECT_EQ(*repaired, "abc");
}

TEST_F(FileBlobStoreTest, SurvivesReopeningAndRemovesOnlyStaleTemporaries) {
  auto digest = store_->Put("kept");
  ASSERT_TRUE(digest.ok());
  const std::string stale = root_ + "/tmp/stale.tmp";
  const std::string fresh = root_ + "/tmp/fresh.tmp";
  std::ofstream(stale) << "left by a crash";
  std::ofstream(fresh) << "a Put in progress";
  struct timeval two_hours_ago[2] = {{::time(nullptr) - 7200, 0}, {::time(nullptr) - 7200, 0}};
  ASSERT_EQ(::utimes(stale.c_str(), two_hours_ago), 0);

  auto reopened = FileBlobStore::Create(root_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto content = (*reopened)->Get(*digest);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "kept");
  EXPECT_NE(::access(stale.c_str(), F_OK), 0);
  EXPECT_EQ(::access(fresh.c_str(), F_OK), 0);
}

TEST_F(FileBlobStoreTest, ConcurrentPutsOfSameAndDifferentContent) {
  std::vector<std::thread> threads;
  std::vector<std::string> digests(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        // Half the threads write the same 50 blobs; the others write their own.
        const std::string content =
            (t % 2 == 0 ? "shared " : "thread " + std::to_string(t) + " ") + std::to_string(i);
        auto digest = store_->Put(content);
        if (!digest.ok()) return;
        digests[t] = *digest;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& digest : digests) EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(CountFiles(root_), 50 + 4 * 50);
  EXPECT_EQ(CountFiles(root_ + "/tmp"), 0);
  auto shared = store_->Get(digests[0]);
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(*shared, "shared 49");
}

TEST_F(FileBlobStoreTest, CreateFailsWhenTheParentIsMissing) {
  auto store = FileBlobStore::Create(directory_ + "/no/such/parent");
  EXPECT_TRUE(absl::IsNotFound(store.status())) << store.status();
}

TEST_F(FileBlobStoreTest, ListDigestsNamesEveryBlobAndNothingElse) {
  ASSERT_TRUE(store_->Put("abc").ok());
  ASSERT_TRUE(store_->Put("").ok());
  // A stray file beside the blobs and a temporary are not blobs.
  std::ofstream(root_ + "/ba/78/notes.txt") << "x";
  std::ofstream(root_ + "/tmp/" + kAbcDigest) << "partial";
  absl::StatusOr<std::vector<std::string>> digests = store_->ListDigests();
  ASSERT_TRUE(digests.ok()) << digests.status();
  std::sort(digests->begin(), digests->end());
  EXPECT_EQ(*digests, (std::vector<std::string>{kAbcDigest, kEmptyDigest}));
}

TEST(IsHexDigestTest, Table) {
  const struct {
    std::string text;
    bool expected;
  } kCases[] = {
      {kAbcDigest, true},
      {std::string(64, '0'), true},
      {std::string(64, 'f'), true},
      {std::string(64, 'g'), false},
      {std::string(64, 'F'), false},
      {std::string(63, 'a'), false},
      {std::string(65, 'a'), false},
      {"", false},
  };
  for (const auto& test : kCases) EXPECT_EQ(IsHexDigest(test.text), test.expected) << test.text;
}

}  // namespace
}  // namespace casedesk::adapters::crypto
