// Rows as the copy moves and compares them: one optional string per column of a TableSpec, in
// the same canonical form whichever store it came from (integers and booleans as decimal text,
// "0"/"1" for booleans, text and bytes as they are, NULL as nullopt), so a row read back from
// PostgreSQL compares equal to the SQLite row it was copied from.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/store_copy/table_spec.h"

namespace casedesk::adapters::store_copy {

using Value = std::optional<std::string>;
using Row = std::vector<Value>;

// A row's key values (canonical form, in TableSpec::key order).
std::vector<std::string> KeyOf(const TableSpec& table, const Row& row);

// The index of `column` in table.columns (the column must exist).
size_t ColumnIndex(const TableSpec& table, std::string_view column);

ColumnKind KeyKind(const TableSpec& table, size_t key_index);

// "id=12" or "(case_number, key)=(100001, sla:x)": names a row in messages.
std::string DescribeKey(const TableSpec& table, const std::vector<std::string>& key);

// The first column where the rows differ ("" when equal), for messages.
std::string FirstDifferingColumn(const TableSpec& table, const Row& a, const Row& b);

}  // namespace casedesk::adapters::store_copy
