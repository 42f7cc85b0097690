#include "adapters/http/gzip.h"

#include <zlib.h>

#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace casedesk::adapters::http {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

TEST(GzipTest, RoundTripsAndShrinksRepetitiveText) {
  std::string page;
  for (int i = 0; i < 500; ++i) page += "<li class=\"bar\" title=\"Nov 3: 100% uptime\"></li>";
  const std::string compressed = Gzip(page);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
  EXPECT_LT(compressed.size(), page.size() / 10);
  EXPECT_EQ(Gunzip(compressed), page);
  EXPECT_EQ(Gunzip(Gzip("")), "");
}

TEST(GzipTest, AcceptEncodingIsReadAsTheRfcSays) {
  const auto accepts = [](std::string header) {
    HttpRequest request;
    request.headers.emplace_back("accept-encoding", std::move(header));
    return AcceptsGzip(request);
  };
  EXPECT_TRUE(accepts("gzip"));
  EXPECT_TRUE(accepts("br, GZIP;q=0.8, deflate"));
  EXPECT_TRUE(accepts("*"));
  EXPECT_FALSE(accepts("gzip;q=0"));
  EXPECT_FALSE(accepts("br, deflate"));
  EXPECT_FALSE(accepts("identity"));
  EXPECT_FALSE(AcceptsGzip(HttpRequest{}));
}

}  // namespace
}  // namespace casedesk::adapters::http
