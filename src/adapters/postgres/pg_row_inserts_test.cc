#include "adapters/postgres/pg_row_inserts.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace casedesk::adapters::postgres {
namespace {

const PgRowsInsert kParents{.sql = "parents", .rank = 0};
const PgRowsInsert kChildren{.sql = "children", .rank = 1};
const PgRowsInsert kNotes{.sql = "notes", .rank = 1};
const PgRowsInsert kUpserts{.sql = "upserts", .rank = 1, .key_columns = 2};

PgQueuedWrite Rows(const PgRowsInsert& insert, std::vector<PgParams> rows) {
  return PgQueuedWrite{.insert = &insert, .rows = std::move(rows)};
}

PgQueuedWrite Row(const PgRowsInsert& insert, int64_t id, std::string_view text = "x") {
  std::vector<PgParams> rows;
  rows.push_back(PgParams().Add(id).Add(text));
  return Rows(insert, std::move(rows));
}

PgQueuedWrite AsItIs(std::string sql) {
  return PgQueuedWrite{.statement = PgStatement{std::move(sql), PgParams().Add(int64_t{1})}};
}

// Each statement as "sql arrays...", so a test reads what would be sent.
std::vector<std::string> Sent(std::vector<PgQueuedWrite> queued) {
  std::vector<std::string> sent;
  for (const PgStatement& statement : MergeQueuedWrites(std::move(queued))) {
    std::string line = statement.sql;
    for (size_t i = 0; i < statement.params.size(); ++i) {
      line += " " + statement.params.value(i).value_or("<null>");
    }
    sent.push_back(line);
  }
  return sent;
}

TEST(RowsAsArrays, QuotesEveryValueAndKeepsNullsAndBytes) {
  std::vector<PgParams> rows(3);
  rows[0].Add(int64_t{1}).Add("plain").AddBytes(std::string("\x00\xff", 2));
  rows[1].Add(int64_t{2}).Add("say \"hi\" \\ {a,b}").AddNull();
  rows[2].AddNull().Add("").AddBytes("");
  const PgParams arrays = RowsAsArrays(rows);
  ASSERT_EQ(arrays.size(), 3u);
  EXPECT_EQ(arrays.value(0), R"({"1","2",NULL})");
  EXPECT_EQ(arrays.value(1), R"({"plain","say \"hi\" \\ {a,b}",""})");
  // bytea's hex form, its backslash escaped inside the array.
  EXPECT_EQ(arrays.value(2), R"({"\\x00ff",NULL,"\\x"})");
  EXPECT_FALSE(arrays.is_binary(2));  // the array travels as text
}

TEST(MergeQueuedWrites, PutsEachKindsRowsInOneStatementParentsFirst) {
  // Two units, each a parent then its child and note, as a batch queues them.
  std::vector<PgQueuedWrite> queued;
  queued.push_back(Row(kParents, 1));
  queued.push_back(Row(kChildren, 1));
  queued.push_back(Row(kNotes, 1));
  queued.push_back(Row(kParents, 2));
  queued.push_back(Row(kNotes, 2));
  queued.push_back(Row(kChildren, 2));
  EXPECT_EQ(Sent(std::move(queued)), (std::vector<std::string>{R"(parents {"1","2"} {"x","x"})",
                                                               R"(children {"1","2"} {"x","x"})",
                                                               R"(notes {"1","2"} {"x","x"})"}));
}

TEST(MergeQueuedWrites, AStatementQueuedAsItIsKeepsItsPlace) {
  std::vector<PgQueuedWrite> queued;
  queued.push_back(Row(kChildren, 1));
  queued.push_back(Row(kParents, 1));
  queued.push_back(AsItIs("update"));
  queued.push_back(Row(kChildren, 2));
  queued.push_back(Row(kChildren, 3));
  EXPECT_EQ(Sent(std::move(queued)),
            (std::vector<std::string>{R"(parents {"1"} {"x"})", R"(children {"1"} {"x"})",
                                      "update 1", R"(children {"2","3"} {"x","x"})"}));
}

TEST(MergeQueuedWrites, ARepeatedUpsertKeyStartsTheNextStatement) {
  // One conflict key (the first two values) twice: a statement may update a row only once,
  // and the later value must win, so the second goes in a statement after the first.
  std::vector<PgQueuedWrite> queued;
  queued.push_back(Row(kUpserts, 1, "a"));
  queued.push_back(Row(kUpserts, 1, "b"));
  queued.push_back(Row(kUpserts, 2, "a"));
  queued.push_back(Row(kUpserts, 1, "a"));
  queued.push_back(Row(kUpserts, 3, "a"));
  EXPECT_EQ(Sent(std::move(queued)),
            (std::vector<std::string>{R"(upserts {"1","1","2"} {"a","b","a"})",
                                      R"(upserts {"1","3"} {"a","a"})"}));
}

TEST(MergeQueuedWrites, KeepsEveryRowOfAMultiRowWriteAndSkipsEmptyOnes) {
  std::vector<PgParams> rows(2);
  rows[0].Add(int64_t{7}).Add("k1");
  rows[1].Add(int64_t{7}).Add("k2");
  std::vector<PgQueuedWrite> queued;
  queued.push_back(Rows(kNotes, {}));
  queued.push_back(Rows(kNotes, std::move(rows)));
  queued.push_back(Row(kNotes, 8, "k1"));
  EXPECT_EQ(Sent(std::move(queued)),
            (std::vector<std::string>{R"(notes {"7","7","8"} {"k1","k2","k1"})"}));
}

}  // namespace
}  // namespace casedesk::adapters::postgres
