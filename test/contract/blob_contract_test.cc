// Blobs in the store, run against every Store implementation (store_factories.h) through the
// BlobStore the server uses (adapters/crypto/store_blob_store.h): binary content round trips
// (NULs, every byte value, megabytes), the same content may be stored again, unknown and malformed
// digests are refused, content that no longer matches its digest is reported, and blobs of the
// files an earlier version wrote are still read from them.
#include <memory>
#include <string>
#include <vector>

#include "adapters/crypto/file_blob_store.h"
#include "adapters/crypto/store_blob_store.h"
#include "contract_fixture.h"

namespace casedesk::contract {
namespace {

using adapters::crypto::FileBlobStore;
using adapters::crypto::HexSha256;
using adapters::crypto::StoreBlobStore;

std::string EveryByte(size_t size) {
  std::string content(size, '\0');
  for (size_t i = 0; i < size; ++i) content[i] = static_cast<char>((i * 7 + i / 256) % 256);
  return content;
}

class BlobContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("blob-contract"));
    blobs_ = std::make_unique<StoreBlobStore>(*store_, nullptr);
  }

  void TearDown() override {
    blobs_.reset();
    ContractTest::TearDown();
  }

  std::unique_ptr<StoreBlobStore> blobs_;
};

TEST_P(BlobContractTest, BinaryContentRoundTripsUnderItsSha256) {
  for (const std::string& content : {std::string("abc"), std::string(),
                                     std::string("\0\x01\xff\x80\0", 5), EveryByte(3 << 20)}) {
    absl::StatusOr<std::string> digest = blobs_->Put(content);
    ASSERT_TRUE(digest.ok()) << digest.status();
    EXPECT_EQ(*digest, HexSha256(content));
    absl::StatusOr<std::string> read = blobs_->Get(*digest);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->size(), content.size());
    EXPECT_TRUE(*read == content);
  }
  EXPECT_EQ(*blobs_->Put("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_P(BlobContractTest, StoringTheSameContentAgainIsHarmless) {
  // The key is the content's digest, so a second Put finds the row there (no duplicate-key
  // error, no second row) and returns the same key.
  std::vector<std::string> digests;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::string> digest = blobs_->Put("report.pdf bytes");
    ASSERT_TRUE(digest.ok()) << digest.status();
    digests.push_back(*digest);
  }
  EXPECT_EQ(digests[0], digests[1]);
  EXPECT_EQ(digests[1], digests[2]);
  EXPECT_EQ(blobs_->Get(digests[0]).value_or(""), "report.pdf bytes");
}

TEST_P(BlobContractTest, UnknownMalformedAndDamagedDigestsAreRefused) {
  EXPECT_TRUE(absl::IsNotFound(blobs_->Get(HexSha256("never stored")).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(blobs_->Get("../../etc/passwd").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(blobs_->Get(std::string(64, 'A')).status()));
  // A row whose content does not match its digest (a damaged store) is reported, not served.
  const std::string digest = HexSha256("the original");
  ASSERT_TRUE(
      store_->WriteAndWait([&](ports::StoreTransaction& txn) { return txn.PutBlob(digest, "x"); })
          .ok());
  EXPECT_TRUE(absl::IsDataLoss(blobs_->Get(digest).status()));
}

TEST_P(BlobContractTest, BlobsWrittenAsFilesBeforeAreStillRead) {
  auto files = FileBlobStore::Create(directory_ + "/attachments");
  ASSERT_TRUE(files.ok()) << files.status();
  absl::StatusOr<std::string> old = (*files)->Put("written by an earlier version");
  ASSERT_TRUE(old.ok()) << old.status();
  StoreBlobStore blobs(*store_, files->get());
  EXPECT_EQ(blobs.Get(*old).value_or(""), "written by an earlier version");
  // New blobs go to the store, not to the files.
  absl::StatusOr<std::string> fresh = blobs.Put("written now");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_TRUE(absl::IsNotFound((*files)->Get(*fresh).status()));
  EXPECT_EQ(blobs.Get(*fresh).value_or(""), "written now");
  EXPECT_TRUE(absl::IsNotFound(blobs.Get(HexSha256("nowhere")).status()));
}

TEST_P(BlobContractTest, ReadTransactionsCannotPutBlobs) {
  const std::string digest = HexSha256("read only");
  EXPECT_FALSE(
      store_->Read([&](ports::StoreTransaction& txn) { return txn.PutBlob(digest, "read only"); })
          .ok());
  EXPECT_TRUE(absl::IsNotFound(blobs_->Get(digest).status()));
}

INSTANTIATE_TEST_SUITE_P(Stores, BlobContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace casedesk::contract
