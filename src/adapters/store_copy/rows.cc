#include "adapters/store_copy/rows.h"

namespace casedesk::adapters::store_copy {
namespace {

// Bytes keys (digests) are named in messages as lowercase hex.
std::string HexOf(std::string_view bytes) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

}  // namespace

size_t ColumnIndex(const TableSpec& table, std::string_view column) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == column) return i;
  }
  return table.columns.size();
}

ColumnKind KeyKind(const TableSpec& table, size_t key_index) {
  return table.columns[ColumnIndex(table, table.key[key_index])].kind;
}

std::vector<std::string> KeyOf(const TableSpec& table, const Row& row) {
  std::vector<std::string> key;
  for (std::string_view column : table.key) {
    const Value& value = row[ColumnIndex(table, column)];
    key.push_back(value.value_or(""));
  }
  return key;
}

std::string DescribeKey(const TableSpec& table, const std::vector<std::string>& key) {
  std::string values;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0) values += ", ";
    values += KeyKind(table, i) == ColumnKind::kBytes ? HexOf(key[i]) : key[i];
  }
  if (key.size() == 1) return KeyName(table) + "=" + values;
  return KeyName(table) + "=(" + values + ")";
}

std::string FirstDifferingColumn(const TableSpec& table, const Row& a, const Row& b) {
  for (size_t i = 0; i < table.columns.size() && i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) return std::string(table.columns[i].name);
  }
  return "";
}

}  // namespace casedesk::adapters::store_copy
